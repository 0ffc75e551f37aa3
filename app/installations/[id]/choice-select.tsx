"use client";

import { useId, useState } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";

export type Option = { value: string; label: string; disabled?: boolean };

/**
 * A labelled select with its error and hint beside it. Long lists get a search box that narrows the
 * options (the chosen one always stays visible).
 */
export function ChoiceSelect(props: {
  label: string;
  hint?: string;
  error?: string;
  options: Option[];
  registration: UseFormRegisterReturn;
  value: string;
  placeholder: string;
  searchLabel?: string;
  noMatches?: string;
  disabled?: boolean;
  compact?: boolean;
}) {
  const id = useId();
  const [query, setQuery] = useState("");
  const searchable = props.options.length > 12 && props.searchLabel;
  const q = query.trim().toLowerCase();
  const shown = q
    ? props.options.filter((o) => o.value === props.value || o.label.toLowerCase().includes(q))
    : props.options;
  const describedBy =
    [props.error ? `${id}-error` : "", props.hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`min-w-0 ${props.compact ? "" : "space-y-1"}`}>
      <label htmlFor={id} className={props.compact ? "sr-only" : "block text-sm font-medium text-slate-800"}>
        {props.label}
      </label>
      {searchable && (
        <input
          type="search"
          aria-label={props.searchLabel}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={props.searchLabel}
          className="block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
      )}
      <select
        id={id}
        {...props.registration}
        disabled={props.disabled}
        aria-invalid={Boolean(props.error)}
        aria-describedby={describedBy}
        className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-brand-600 ${props.error ? "border-red-500" : "border-slate-300"}`}
      >
        <option value="">{props.placeholder}</option>
        {shown.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
      {q && shown.length === 0 && <p className="text-xs text-slate-500">{props.noMatches}</p>}
      {props.error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {props.error}
        </p>
      )}
      {props.hint && !props.compact && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** A labelled checkbox with its hint and error. */
export function Checkbox(props: {
  label: string;
  hint?: string;
  error?: string;
  registration: UseFormRegisterReturn;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div>
      <div className="flex items-start gap-3">
        <input
          id={id}
          type="checkbox"
          {...props.registration}
          disabled={props.disabled}
          aria-invalid={Boolean(props.error)}
          aria-describedby={
            [props.error ? `${id}-error` : "", props.hint ? `${id}-hint` : ""].filter(Boolean).join(" ") ||
            undefined
          }
          className="mt-1 h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-600"
        />
        <div>
          <label htmlFor={id} className="text-sm font-medium text-slate-800">
            {props.label}
          </label>
          {props.hint && (
            <p id={`${id}-hint`} className="text-xs text-slate-500">
              {props.hint}
            </p>
          )}
        </div>
      </div>
      {props.error && (
        <p id={`${id}-error`} className="ml-7 mt-1 text-sm text-red-700">
          {props.error}
        </p>
      )}
    </div>
  );
}
