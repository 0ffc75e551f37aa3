import { Hono } from "hono";
import { collectionResponse } from "./collection";
import { type EconomicEnv, notFound, present, query, readObject, type Ctx } from "./context";
import { checkSpec, EconomicError, ERROR_CODES, Violations, type Spec } from "./errors";
import { decodeProductNumber, encodeProductNumber as encodeForSelf, rawSegmentAfter } from "./product-number";
import { checkRef } from "./refs";
import type { Agreement } from "./seed";

type Obj = Record<string, unknown>;

const list = (
  c: Ctx,
  path: string,
  items: readonly unknown[],
  filterable: readonly string[] = [],
  sortable: readonly string[] = filterable,
) =>
  c.json(
    present(collectionResponse(items, query(c), { baseUrl: c.get("baseUrl"), path, filterable, sortable })),
  );

const withSelf = <T extends Obj>(c: Ctx, path: string, item: T): T => ({
  ...item,
  self: `${c.get("baseUrl")}${path}`,
});

const customerSpec: Spec = {
  currency: { t: "string", req: true, len: 3 },
  customerGroup: { t: "obj", req: true },
  name: { t: "string", req: true, min: 1, max: 255 },
  paymentTerms: { t: "obj", req: true },
  vatZone: { t: "obj", req: true },
  customerNumber: { t: "int", min: 1, max: 999_999_999 },
  address: { t: "string", max: 510 },
  city: { t: "string", max: 50 },
  zip: { t: "string", max: 30 },
  country: { t: "string", max: 50 },
  email: { t: "string", max: 255 },
  ean: { t: "string", max: 40 },
  corporateIdentificationNumber: { t: "string", max: 40 },
  vatNumber: { t: "string", max: 50 },
  pNumber: { t: "string", len: 10 },
  publicEntryNumber: { t: "string", max: 50 },
  telephoneAndFaxNumber: { t: "string", max: 255 },
  mobilePhone: { t: "string", max: 50 },
  website: { t: "string", max: 255 },
  creditLimit: { t: "number" },
  barred: { t: "bool" },
  layout: { t: "obj" },
  salesPerson: { t: "obj" },
  attention: { t: "obj" },
  customerContact: { t: "obj" },
};

const supplierSpec = (put: boolean): Spec => ({
  currency: { t: "string", req: true, len: 3 },
  name: { t: "string", req: true, min: 1, max: 255 },
  paymentTerms: { t: "obj", req: true },
  supplierGroup: { t: "obj", req: !put },
  vatZone: { t: "obj", req: true },
  supplierNumber: { t: "int", req: put, min: 1, max: 999_999_999 },
  address: { t: "string", max: 255 },
  city: { t: "string", max: 50 },
  zip: { t: "string", max: 10 },
  country: { t: "string", max: 50 },
  email: { t: "string", max: 100 },
  phone: { t: "string", max: 20 },
  bankAccount: { t: "string", max: 50 },
  corporateIdentificationNumber: { t: "string", max: 40 },
  defaultInvoiceText: { t: "string", max: 100 },
  costAccount: { t: "obj" },
  layout: { t: "obj" },
  remittanceAdvice: { t: "obj", fields: { creditorId: { t: "string", max: 50 }, paymentType: { t: "obj" } } },
  attention: { t: "obj" },
  salesPerson: { t: "obj" },
  barred: { t: "bool" },
});

const productSpec: Spec = {
  productNumber: { t: "string", req: true, min: 1, max: 25 },
  name: { t: "string", req: true, min: 1, max: 300 },
  productGroup: { t: "obj", req: true },
  description: { t: "string", max: 500 },
  salesPrice: { t: "number" },
  costPrice: { t: "number" },
  recommendedPrice: { t: "number" },
  barCode: { t: "string", max: 50 },
  barred: { t: "bool" },
  unit: { t: "obj" },
  inventory: { t: "obj", fields: { recommendedCostPrice: { t: "number" }, packageVolume: { t: "number" } } },
  departmentalDistribution: { t: "obj" },
};

function currencyExists(a: Agreement, code: unknown) {
  return a.currencies.some((c) => c.code === code);
}

/**
 * `vatNumber` "is only available to agreements in Sweden, UK, Germany, Poland and Finland. Not to be
 * mistaken for the danish CVR number" (_customers.md, customer properties). The emulator's own list, by
 * the agreement's country as /self names it.
 */
const VAT_NUMBER_AGREEMENT_COUNTRIES = [
  "sverige",
  "sweden",
  "united kingdom",
  "uk",
  "deutschland",
  "germany",
  "polska",
  "poland",
  "suomi",
  "finland",
];

function checkCustomer(a: Agreement, body: Obj, v: Violations) {
  checkSpec(body, customerSpec, v);
  const agreementCountry = String(a.company.country ?? "")
    .trim()
    .toLowerCase();
  if (body.vatNumber !== undefined && !VAT_NUMBER_AGREEMENT_COUNTRIES.includes(agreementCountry))
    v.add(["vatNumber"], {
      errorCode: ERROR_CODES.invalidValue,
      message:
        "vatNumber is only available to agreements in Sweden, UK, Germany, Poland and Finland. Use corporateIdentificationNumber for the CVR number.",
      value: body.vatNumber,
    });
  if (typeof body.currency === "string" && body.currency.length === 3 && !currencyExists(a, body.currency)) {
    v.add(["currency"], {
      errorCode: "E06000",
      message: `Currency '${body.currency}' not found.`,
      value: body.currency,
    });
  }
  checkRef(
    v,
    ["customerGroup"],
    body.customerGroup,
    "customerGroupNumber",
    (n) => a.customerGroups.some((g) => g.customerGroupNumber === n),
    "Customer group",
  );
  checkRef(
    v,
    ["paymentTerms"],
    body.paymentTerms,
    "paymentTermsNumber",
    (n) => a.paymentTerms.some((p) => p.paymentTermsNumber === n),
    "Payment terms",
  );
  checkRef(
    v,
    ["vatZone"],
    body.vatZone,
    "vatZoneNumber",
    (n) => a.vatZones.some((z) => z.vatZoneNumber === n && z.enabledForCustomer),
    "VAT zone",
  );
  checkRef(
    v,
    ["layout"],
    body.layout,
    "layoutNumber",
    (n) => a.layouts.some((l) => l.layoutNumber === n && !l.deleted),
    "Layout",
  );
  checkRef(
    v,
    ["salesPerson"],
    body.salesPerson,
    "employeeNumber",
    (n) => a.employees.some((e) => e.employeeNumber === n),
    "Employee",
  );
}

/** Contacts named on a customer (attention, customerContact) must be that customer's own. */
function checkOwnContacts(a: Agreement, customerNumber: number, body: Obj, v: Violations, fields: string[]) {
  const own = a.contacts.get(customerNumber) ?? [];
  for (const field of fields) {
    checkRef(
      v,
      [field],
      body[field],
      "customerContactNumber",
      (n) => own.some((c) => c.customerContactNumber === Number(n)),
      "Customer contact",
    );
  }
}

const contactSpec: Spec = {
  name: { t: "string", req: true, min: 1, max: 255 },
  email: { t: "string", max: 255 },
  phone: { t: "string", max: 50 },
  notes: { t: "string", max: 2000 },
  eInvoiceId: { t: "string", max: 50 },
  sortKey: { t: "int" },
};

function checkSupplier(a: Agreement, body: Obj, v: Violations, put: boolean) {
  checkSpec(body, supplierSpec(put), v);
  if (typeof body.currency === "string" && body.currency.length === 3 && !currencyExists(a, body.currency)) {
    v.add(["currency"], {
      errorCode: "E06000",
      message: `Currency '${body.currency}' not found.`,
      value: body.currency,
    });
  }
  checkRef(
    v,
    ["supplierGroup"],
    body.supplierGroup,
    "supplierGroupNumber",
    (n) => a.supplierGroups.some((g) => g.supplierGroupNumber === n),
    "Supplier group",
  );
  checkRef(
    v,
    ["paymentTerms"],
    body.paymentTerms,
    "paymentTermsNumber",
    (n) => a.paymentTerms.some((p) => p.paymentTermsNumber === n),
    "Payment terms",
  );
  checkRef(
    v,
    ["vatZone"],
    body.vatZone,
    "vatZoneNumber",
    (n) => a.vatZones.some((z) => z.vatZoneNumber === n && z.enabledForSupplier),
    "VAT zone",
  );
  checkRef(
    v,
    ["costAccount"],
    body.costAccount,
    "accountNumber",
    (n) => a.accounts.some((x) => x.accountNumber === n),
    "Account",
  );
  checkRef(
    v,
    ["layout"],
    body.layout,
    "layoutNumber",
    (n) => a.layouts.some((l) => l.layoutNumber === n && !l.deleted),
    "Layout",
  );
  const remittance = body.remittanceAdvice as Obj | undefined;
  if (remittance)
    checkRef(
      v,
      ["remittanceAdvice", "paymentType"],
      remittance.paymentType,
      "paymentTypeNumber",
      (n) => a.paymentTypes.some((p) => p.paymentTypeNumber === n),
      "Payment type",
    );
  checkRef(
    v,
    ["salesPerson"],
    body.salesPerson,
    "employeeNumber",
    (n) => a.employees.some((e) => e.employeeNumber === n),
    "Employee",
  );
}

function checkProduct(a: Agreement, body: Obj, v: Violations) {
  checkSpec(body, productSpec, v);
  checkRef(
    v,
    ["productGroup"],
    body.productGroup,
    "productGroupNumber",
    (n) => a.productGroups.some((g) => g.productGroupNumber === n),
    "Product group",
  );
  checkRef(v, ["unit"], body.unit, "unitNumber", (n) => a.units.some((u) => u.unitNumber === n), "Unit");
  const inventoryModule = hasInventoryModule(a);
  const inventory = body.inventory as Obj | undefined;
  if (inventoryModule && inventory?.recommendedCostPrice === undefined) {
    v.add(["inventory", "recommendedCostPrice"], {
      errorCode: "E04300",
      message: "inventory.recommendedCostPrice is required when the Inventory module is enabled.",
    });
  }
  if (body.departmentalDistribution !== undefined) {
    v.add(["departmentalDistribution"], {
      errorCode: "E04010",
      message: "Departmental distribution requires the departments module.",
    });
  }
}

const hasInventoryModule = (a: Agreement) => a.modules.some((m) => m.name === "Lager");

/** Keeps only the stock fields e-conomic owns: `inventory.*` stock figures are read-only. */
function mergeInventory(existing: Obj | undefined, incoming: Obj | undefined): Obj | undefined {
  if (!incoming && !existing) return undefined;
  const { inStock, available, orderedByCustomers, orderedFromSuppliers, grossWeight, netWeight } =
    (existing ?? {}) as Obj;
  return {
    ...(incoming ?? {}),
    inStock: inStock ?? 0,
    available: available ?? 0,
    orderedByCustomers,
    orderedFromSuppliers,
    grossWeight,
    netWeight,
  };
}

function productOnInvoice(a: Agreement, productNumber: string): boolean {
  const onLines = (doc: Obj) =>
    ((doc.lines as Obj[] | undefined) ?? []).some(
      (l) => (l.product as Obj | undefined)?.productNumber === productNumber,
    );
  return [...a.drafts.values()].some(onLines) || [...a.booked.values()].some(onLines);
}

export function masterDataRoutes() {
  const r = new Hono<EconomicEnv>();

  r.get("/self", (c) => {
    const a = c.get("agreement");
    const state = c.get("state");
    return c.json(
      present({
        agreementNumber: a.agreementNumber,
        agreementType: { agreementTypeNumber: 1, name: "Standard" },
        application: {
          appNumber: 4242,
          appPublicToken: state.appPublicToken,
          name: state.appName,
          requiredRoles: [{ roleNumber: 1, name: "SuperUser" }],
        },
        company: a.company,
        settings: { baseCurrency: "DKK", internationalLedger: false },
        modules: a.modules,
        user: a.user,
        userName: a.user.name,
        canSendElectronicInvoice: true,
        signupDate: "2019-03-01",
        self: `${c.get("baseUrl")}/self`,
      }),
    );
  });

  const lookups: [string, (a: Agreement) => Obj[], string, string[]][] = [
    ["/customer-groups", (a) => a.customerGroups, "customerGroupNumber", ["customerGroupNumber", "name"]],
    ["/supplier-groups", (a) => a.supplierGroups, "supplierGroupNumber", ["supplierGroupNumber", "name"]],
    [
      "/product-groups",
      (a) => a.productGroups.map(({ salesAccounts: _s, ...g }) => g),
      "productGroupNumber",
      ["productGroupNumber", "name"],
    ],
    // Deleted layouts are hidden from the collection but still answer by number (see below).
    ["/layouts", (a) => a.layouts.filter((l) => !l.deleted), "layoutNumber", ["layoutNumber", "name"]],
    ["/accounts", (a) => a.accounts, "accountNumber", ["accountNumber", "name", "accountType", "barred"]],
    ["/vat-zones", (a) => a.vatZones, "vatZoneNumber", ["vatZoneNumber", "name"]],
    ["/vat-accounts", (a) => a.vatAccounts, "vatCode", ["vatCode", "name"]],
    ["/payment-terms", (a) => a.paymentTerms, "paymentTermsNumber", ["paymentTermsNumber", "name"]],
    ["/units", (a) => a.units, "unitNumber", ["unitNumber", "name"]],
    ["/currencies", (a) => a.currencies, "code", ["code", "name"]],
    ["/employees", (a) => a.employees, "employeeNumber", ["employeeNumber", "name"]],
    ["/payment-types", (a) => a.paymentTypes, "paymentTypeNumber", ["paymentTypeNumber", "name"]],
    // Filterable on fromDate, toDate and year (_accounting-years.md): how a year is found by date.
    ["/accounting-years", (a) => a.accountingYears, "year", ["fromDate", "toDate", "year"]],
    [
      "/journals",
      (a) =>
        // A day book's rules sit under `settings`, never at the top level (_journals.md, the journal
        // schema table; the published C#, Go and PHP SDKs agree). An unrestricted day book has no
        // `entryTypeRestrictedTo` at all.
        a.journals.map((j) => ({
          journalNumber: j.journalNumber,
          name: j.name,
          settings: {
            ...(j.entryTypeRestrictedTo ? { entryTypeRestrictedTo: j.entryTypeRestrictedTo } : {}),
            voucherNumbers: {
              minimumVoucherNumber: j.minVoucherNumber,
              maximumVoucherNumber: j.maxVoucherNumber,
            },
            contraAccounts: {},
          },
        })),
      "journalNumber",
      ["journalNumber", "name"],
    ],
  ];
  // Self links use e-conomic's URL scheme for keys with special characters ("2026/2027" → "2026_6_2027").
  const segment = (value: unknown) => encodeForSelf(String(value));
  for (const [path, items, key, filterable] of lookups) {
    r.get(path, (c) =>
      list(
        c,
        path,
        items(c.get("agreement")).map((x) => withSelf(c, `${path}/${segment(x[key])}`, x)),
        filterable,
      ),
    );
    r.get(`${path}/:id`, (c) => {
      const id = decodeProductNumber(rawSegmentAfter(c.req.url, `${path}/`)) ?? "";
      // A deleted layout still answers by number, marked deleted: true (_layouts.md); it is only hidden
      // from the collection and refused on drafts.
      const all = path === "/layouts" ? c.get("agreement").layouts : items(c.get("agreement"));
      const found = all.find((x) => String(x[key]) === id);
      if (!found) notFound(`${path.slice(1)} ${id}`);
      return c.json(present(withSelf(c, `${path}/${segment(id)}`, found)));
    });
  }
  r.get("/product-groups/:n/sales-accounts", (c) => {
    const group = c
      .get("agreement")
      .productGroups.find((g) => String(g.productGroupNumber) === c.req.param("n"));
    if (!group) notFound("Product group");
    const base = c.get("baseUrl");
    const items = group.salesAccounts.map((x) => {
      const { salesAccount, vatZone } = x as { salesAccount: { accountNumber: number }; vatZone: Obj };
      const account = c
        .get("agreement")
        .accounts.find((acc) => acc.accountNumber === salesAccount.accountNumber);
      return {
        salesAccount: { ...account, self: `${base}/accounts/${salesAccount.accountNumber}` },
        vatZone: { ...vatZone, self: `${base}/vat-zones/${vatZone.vatZoneNumber}` },
      };
    });
    return list(c, `/product-groups/${group.productGroupNumber}/sales-accounts`, items, [
      "salesAccount.accountNumber",
    ]);
  });
  r.post("/customer-groups", async (c) => {
    const a = c.get("agreement");
    const body = await readObject(c);
    const v = new Violations();
    checkSpec(
      body,
      {
        customerGroupNumber: { t: "int", req: true, min: 1 },
        account: { t: "obj", req: true },
        name: { t: "string", max: 50 },
        layout: { t: "obj" },
      },
      v,
    );
    checkRef(
      v,
      ["account"],
      body.account,
      "accountNumber",
      (n) => a.accounts.some((x) => x.accountNumber === n),
      "Account",
    );
    if (a.customerGroups.some((g) => g.customerGroupNumber === body.customerGroupNumber))
      v.add(["customerGroupNumber"], {
        errorCode: "E04010",
        message: "Customer group number is already in use.",
      });
    v.throwIfAny();
    const group = body as Obj & { customerGroupNumber: number };
    a.customerGroups.push(group);
    c.get("state").counters.add("customerGroups.created");
    return c.json(present(withSelf(c, `/customer-groups/${group.customerGroupNumber}`, group)), 201);
  });

  // --- customers -------------------------------------------------------------------------------
  const customerFilterable = [
    "customerNumber",
    "name",
    "email",
    "corporateIdentificationNumber",
    "vatNumber",
    "ean",
    "currency",
    "barred",
    "city",
    "zip",
  ];
  r.get("/customers", (c) =>
    list(
      c,
      "/customers",
      [...c.get("agreement").customers.values()].map((x) => withSelf(c, `/customers/${x.customerNumber}`, x)),
      customerFilterable,
    ),
  );
  r.get("/customers/:n", (c) => {
    const found = c.get("agreement").customers.get(Number(c.req.param("n")));
    if (!found) notFound(`Customer ${c.req.param("n")}`);
    return c.json(present(withSelf(c, `/customers/${found.customerNumber}`, found)));
  });
  r.post("/customers", async (c) => {
    const a = c.get("agreement");
    const body = await readObject(c);
    const v = new Violations();
    checkCustomer(a, body, v);
    if (typeof body.customerNumber === "number" && a.customers.has(body.customerNumber)) {
      v.add(["customerNumber"], {
        errorCode: "E04010",
        message: `Customer number ${body.customerNumber} is already in use.`,
        value: body.customerNumber,
      });
    }
    v.throwIfAny();
    const customerNumber =
      (body.customerNumber as number | undefined) ?? Math.max(0, ...a.customers.keys()) + 1;
    const customer = { ...body, customerNumber };
    a.customers.set(customerNumber, customer);
    c.get("state").counters.add("customers.created");
    c.header("Location", `${c.get("baseUrl")}/customers/${customerNumber}`);
    return c.json(present(withSelf(c, `/customers/${customerNumber}`, customer)), 201);
  });
  r.put("/customers/:n", async (c) => {
    const a = c.get("agreement");
    const n = Number(c.req.param("n"));
    if (!a.customers.has(n)) notFound(`Customer ${n}`);
    const body = await readObject(c);
    const v = new Violations();
    checkCustomer(a, body, v);
    checkOwnContacts(a, n, body, v, ["attention", "customerContact"]);
    if (body.customerNumber !== undefined && body.customerNumber !== n)
      v.add(["customerNumber"], {
        errorCode: "E04010",
        message: "customerNumber in the body must match the URL.",
      });
    v.throwIfAny();
    const customer = { ...body, customerNumber: n };
    a.customers.set(n, customer);
    c.get("state").counters.add("customers.updated");
    return c.json(present(withSelf(c, `/customers/${n}`, customer)));
  });
  r.get("/customers/:n/contacts", (c) => {
    const a = c.get("agreement");
    const n = Number(c.req.param("n"));
    if (!a.customers.has(n)) notFound(`Customer ${n}`);
    return list(
      c,
      `/customers/${n}/contacts`,
      (a.contacts.get(n) ?? []).map((x) =>
        withSelf(c, `/customers/${n}/contacts/${x.customerContactNumber}`, x),
      ),
      ["customerContactNumber", "name", "email"],
    );
  });
  r.post("/customers/:n/contacts", async (c) => {
    const a = c.get("agreement");
    const n = Number(c.req.param("n"));
    if (!a.customers.has(n)) notFound(`Customer ${n}`);
    const body = await readObject(c);
    const v = new Violations();
    checkSpec(body, contactSpec, v);
    v.throwIfAny();
    const contact = {
      ...body,
      name: body.name as string,
      customerContactNumber: a.nextContactNumber++,
      customer: { customerNumber: n },
    };
    a.contacts.set(n, [...(a.contacts.get(n) ?? []), contact]);
    c.get("state").counters.add("contacts.created");
    return c.json(
      present(withSelf(c, `/customers/${n}/contacts/${contact.customerContactNumber}`, contact)),
      201,
    );
  });
  r.delete("/customers/:n", (c) => {
    const a = c.get("agreement");
    if (!a.customers.delete(Number(c.req.param("n")))) notFound(`Customer ${c.req.param("n")}`);
    return c.body(null, 204);
  });

  // --- suppliers -------------------------------------------------------------------------------
  r.get("/suppliers", (c) =>
    list(
      c,
      "/suppliers",
      [...c.get("agreement").suppliers.values()].map((x) => withSelf(c, `/suppliers/${x.supplierNumber}`, x)),
      ["supplierNumber", "name", "corporateIdentificationNumber", "email"],
    ),
  );
  r.get("/suppliers/:n", (c) => {
    const found = c.get("agreement").suppliers.get(Number(c.req.param("n")));
    if (!found) notFound(`Supplier ${c.req.param("n")}`);
    return c.json(present(withSelf(c, `/suppliers/${found.supplierNumber}`, found)));
  });
  r.post("/suppliers", async (c) => {
    const a = c.get("agreement");
    const body = await readObject(c);
    const v = new Violations();
    checkSupplier(a, body, v, false);
    if (typeof body.supplierNumber === "number" && a.suppliers.has(body.supplierNumber)) {
      v.add(["supplierNumber"], {
        errorCode: "E04010",
        message: `Supplier number ${body.supplierNumber} is already in use.`,
        value: body.supplierNumber,
      });
    }
    v.throwIfAny();
    const supplierNumber =
      (body.supplierNumber as number | undefined) ?? Math.max(0, ...a.suppliers.keys()) + 1;
    const supplier = { ...body, supplierNumber };
    a.suppliers.set(supplierNumber, supplier);
    c.get("state").counters.add("suppliers.created");
    return c.json(present(withSelf(c, `/suppliers/${supplierNumber}`, supplier)), 201);
  });
  r.put("/suppliers/:n", async (c) => {
    const a = c.get("agreement");
    const n = Number(c.req.param("n"));
    if (!a.suppliers.has(n)) notFound(`Supplier ${n}`);
    const body = await readObject(c);
    const v = new Violations();
    checkSupplier(a, body, v, true);
    if (body.supplierNumber !== undefined && body.supplierNumber !== n)
      v.add(["supplierNumber"], {
        errorCode: "E04010",
        message: "supplierNumber in the body must match the URL.",
      });
    v.throwIfAny();
    const existing = a.suppliers.get(n)!;
    const supplier = { supplierGroup: existing.supplierGroup, ...body, supplierNumber: n };
    a.suppliers.set(n, supplier);
    c.get("state").counters.add("suppliers.updated");
    return c.json(present(withSelf(c, `/suppliers/${n}`, supplier)));
  });

  // --- products --------------------------------------------------------------------------------
  const productNumberFrom = (c: Ctx) => {
    const n = decodeProductNumber(rawSegmentAfter(c.req.url, "/products/"));
    if (n === undefined) notFound("Product");
    return n;
  };
  r.get("/products", (c) =>
    list(
      c,
      "/products",
      [...c.get("agreement").products.values()].map((x) =>
        withSelf(c, `/products/${encodeForSelf(x.productNumber)}`, x),
      ),
      ["productNumber", "name", "barCode", "barred", "salesPrice", "costPrice"],
    ),
  );
  r.get("/products/:n", (c) => {
    const found = c.get("agreement").products.get(productNumberFrom(c));
    if (!found) notFound(`Product ${c.req.param("n")}`);
    return c.json(present(withSelf(c, `/products/${encodeForSelf(found.productNumber)}`, found)));
  });
  r.post("/products", async (c) => {
    const a = c.get("agreement");
    const body = await readObject(c);
    const v = new Violations();
    checkProduct(a, body, v);
    if (typeof body.productNumber === "string" && a.products.has(body.productNumber)) {
      v.add(["productNumber"], {
        errorCode: "E04010",
        message: `Product number '${body.productNumber}' is already in use.`,
        value: body.productNumber,
      });
    }
    v.throwIfAny();
    const { costPrice: _ignored, ...rest } = body;
    // With the Inventory module, e-conomic keeps the cost price itself and ignores the one sent.
    const product = {
      ...(hasInventoryModule(a) ? rest : body),
      productNumber: body.productNumber as string,
      inventory: mergeInventory(undefined, body.inventory as Obj | undefined),
    };
    a.products.set(product.productNumber, product);
    c.get("state").counters.add("products.created");
    return c.json(present(withSelf(c, `/products/${encodeForSelf(product.productNumber)}`, product)), 201);
  });
  r.put("/products/:n", async (c) => {
    const a = c.get("agreement");
    const n = productNumberFrom(c);
    const existing = a.products.get(n);
    if (!existing) notFound(`Product ${n}`);
    const body = await readObject(c);
    const v = new Violations();
    checkProduct(a, body, v);
    if (body.productNumber !== undefined && body.productNumber !== n)
      v.add(["productNumber"], {
        errorCode: "E04010",
        message: "productNumber in the body must match the URL.",
      });
    v.throwIfAny();
    const product = {
      ...body,
      ...(hasInventoryModule(a) ? { costPrice: existing.costPrice } : {}),
      productNumber: n,
      inventory: mergeInventory(existing.inventory as Obj | undefined, body.inventory as Obj | undefined),
    };
    a.products.set(n, product);
    c.get("state").counters.add("products.updated");
    return c.json(present(withSelf(c, `/products/${encodeForSelf(n)}`, product)));
  });
  r.delete("/products/:n", (c) => {
    const a = c.get("agreement");
    const n = productNumberFrom(c);
    if (!a.products.has(n)) notFound(`Product ${n}`);
    if (productOnInvoice(a, n))
      throw new EconomicError(400, `Product '${n}' is used on an invoice and cannot be deleted.`);
    a.products.delete(n);
    return c.body(null, 204);
  });

  return r;
}
