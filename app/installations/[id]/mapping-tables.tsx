"use client";

import { useTranslations } from "next-intl";
import type { UseFormRegister } from "react-hook-form";
import type { MappingKind } from "@/lib/settings/mappings";
import type { SettingsValues } from "@/lib/settings/schema";
import { ChoiceSelect, type Option } from "./choice-select";

export type MappingTableProps = {
  kind: MappingKind;
  /** The Rackbeat values, one row each: `key` is what the settings store (a zone name or a number). */
  rows: { key: string; label: string }[];
  economic: Option[];
  /** Rows prefilled because the names agree: shown so, for the bookkeeper to confirm by saving. */
  suggested: string[];
};

/**
 * One table per kind of numbered value: each Rackbeat value with the e-conomic value it stands for.
 * Nothing is taken as equal because the numbers are: rows are prefilled only where the names agree.
 */
export function MappingTables(props: {
  tables: MappingTableProps[];
  values: SettingsValues["mappings"];
  register: UseFormRegister<SettingsValues>;
  err: (path: string) => string | undefined;
  withSaved: (options: Option[], value: string) => Option[];
}) {
  const t = useTranslations("settings.mappings");
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      {props.tables.map((table) => (
        <fieldset key={table.kind} className="min-w-0">
          <legend className="text-sm font-medium text-slate-800">{t(`kinds.${table.kind}`)}</legend>
          {table.rows.length === 0 ? (
            <p className="mt-1 text-xs text-slate-500">{t("none")}</p>
          ) : (
            <table className="mt-2 w-full text-sm">
              <thead>
                <tr>
                  <th scope="col" className="py-1 pr-3 text-left font-medium text-slate-600">
                    Rackbeat
                  </th>
                  <th scope="col" className="py-1 text-left font-medium text-slate-600">
                    e-conomic
                  </th>
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row) => {
                  const path = `mappings.${table.kind}.${row.key}`;
                  const value = (props.values[table.kind] as Record<string, string>)[row.key] ?? "";
                  const suggested = table.suggested.includes(row.key);
                  return (
                    <tr key={row.key} className="border-t border-slate-100">
                      <th scope="row" className="py-1.5 pr-3 text-left align-top font-normal">
                        {row.label}
                        {suggested && (
                          <span className="ml-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs text-amber-900">
                            {t("byName")}
                          </span>
                        )}
                      </th>
                      <td className="min-w-40 py-1">
                        <ChoiceSelect
                          compact
                          label={`${t(`kinds.${table.kind}`)}: ${row.label}`}
                          placeholder={t("choose")}
                          options={props.withSaved(table.economic, value)}
                          registration={props.register(path as never)}
                          value={value}
                          error={props.err(path)}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </fieldset>
      ))}
    </div>
  );
}
