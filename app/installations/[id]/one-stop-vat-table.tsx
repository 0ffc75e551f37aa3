"use client";

import { useLocale, useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import type { UseFormReturn } from "react-hook-form";
import { buttonClass } from "@/app/ui/page-shell";
import { ONE_STOP_VAT_COUNTRY_CODES, type OneStopVatCountry } from "@/lib/settings/eu-countries";
import type { SettingsValues } from "@/lib/settings/schema";
import { ChoiceSelect, type Option } from "./choice-select";

/**
 * The One Stop VAT table: one row per EU country sold to, with the e-conomic VAT zone and customer group
 * a private customer there gets. Countries are added from a list and removed per row.
 */
export function OneStopVatTable(props: {
  form: UseFormReturn<SettingsValues>;
  rows: SettingsValues["debtor"]["oneStopVatCountries"];
  vatZones: Option[];
  customerGroups: Option[];
  err: (path: string) => string | undefined;
  withSaved: (options: Option[], value: string) => Option[];
}) {
  const t = useTranslations("settings.debtor");
  const ts = useTranslations("settings");
  const locale = useLocale();
  const names = useMemo(() => new Intl.DisplayNames([locale], { type: "region" }), [locale]);
  const [adding, setAdding] = useState("");
  const { register, setValue } = props.form;
  const chosen = (Object.keys(props.rows) as OneStopVatCountry[]).filter((c) => props.rows[c]);
  const addable = ONE_STOP_VAT_COUNTRY_CODES.filter((c) => !chosen.includes(c));
  const rows = props.rows;

  const add = () => {
    if (!adding) return;
    setValue(
      `debtor.oneStopVatCountries.${adding as OneStopVatCountry}`,
      { vatZone: "", customerGroup: "" },
      { shouldDirty: true },
    );
    setAdding("");
  };
  const remove = (country: OneStopVatCountry) => {
    const next = { ...rows };
    delete next[country];
    setValue("debtor.oneStopVatCountries", next, { shouldDirty: true });
  };

  return (
    <fieldset className="space-y-2 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-800">{t("oneStopVatCountries")}</legend>
      <p className="text-xs text-slate-500">{t("oneStopVatCountriesHint")}</p>
      {chosen.length === 0 ? (
        <p className="text-sm text-slate-600">{t("noCountries")}</p>
      ) : (
        <table className="min-w-full text-sm">
          <thead>
            <tr>
              <th scope="col" className="py-2 pr-3 text-left font-medium text-slate-600">
                {t("country")}
              </th>
              <th scope="col" className="px-2 py-2 text-left font-medium text-slate-600">
                {t("vatZone")}
              </th>
              <th scope="col" className="px-2 py-2 text-left font-medium text-slate-600">
                {t("customerGroup")}
              </th>
              <th scope="col" className="sr-only">
                {t("removeCountry", { country: "" })}
              </th>
            </tr>
          </thead>
          <tbody>
            {chosen.map((country) => {
              const name = names.of(country) ?? country;
              const path = `debtor.oneStopVatCountries.${country}` as const;
              return (
                <tr key={country} className="border-t border-slate-100">
                  <th scope="row" className="py-2 pr-3 text-left font-normal">
                    {name}
                  </th>
                  <td className="min-w-40 px-2 py-1 align-top">
                    <ChoiceSelect
                      compact
                      label={`${name} – ${t("vatZone")}`}
                      placeholder={ts("choose")}
                      options={props.withSaved(props.vatZones, rows[country]?.vatZone ?? "")}
                      registration={register(`${path}.vatZone`)}
                      value={rows[country]?.vatZone ?? ""}
                      error={props.err(`${path}.vatZone`)}
                    />
                  </td>
                  <td className="min-w-40 px-2 py-1 align-top">
                    <ChoiceSelect
                      compact
                      label={`${name} – ${t("customerGroup")}`}
                      placeholder={ts("choose")}
                      options={props.withSaved(props.customerGroups, rows[country]?.customerGroup ?? "")}
                      registration={register(`${path}.customerGroup`)}
                      value={rows[country]?.customerGroup ?? ""}
                      error={props.err(`${path}.customerGroup`)}
                    />
                  </td>
                  <td className="px-2 py-1 align-top">
                    <button
                      type="button"
                      className={buttonClass("secondary")}
                      onClick={() => remove(country)}
                    >
                      {t("removeCountry", { country: name })}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {addable.length > 0 && (
        <div className="flex flex-wrap items-end gap-2">
          <label className="text-sm">
            <span className="block font-medium text-slate-800">{t("country")}</span>
            <select
              className="mt-1 rounded-md border border-slate-300 px-2 py-1.5"
              value={adding}
              onChange={(e) => setAdding(e.target.value)}
            >
              <option value="">{ts("choose")}</option>
              {addable
                .map((c) => ({ c, name: names.of(c) ?? c }))
                .sort((a, b) => a.name.localeCompare(b.name, locale))
                .map(({ c, name }) => (
                  <option key={c} value={c}>
                    {name}
                  </option>
                ))}
            </select>
          </label>
          <button type="button" className={buttonClass("secondary")} onClick={add} disabled={!adding}>
            {t("addCountry")}
          </button>
        </div>
      )}
    </fieldset>
  );
}
