/**
 * A value inside an e-conomic collection filter: `$ ( ) * , [ ]` are escaped with `$`, or they would end
 * or corrupt the expression (_introduction.md, "Escaping special characters in your filter").
 */
export const filterValue = (value: string) => value.replace(/[$()*,[\]]/g, (ch) => `$${ch}`);

/** `property$eq:value`, escaped. */
export const eqFilter = (property: string, value: string | number) =>
  `${property}$eq:${filterValue(String(value))}`;
