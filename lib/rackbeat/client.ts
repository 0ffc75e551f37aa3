import { env } from "@/lib/env";
import { HttpError, requestJson, type RequestOptions } from "@/lib/http";
import { UNCERTAIN } from "@/lib/uncertain";

export type RackbeatSelf = {
  user_account: { id: number | string; company_name: string };
  user?: { id: number; name: string; email: string };
};
export type AcceptedIntegration = { access_token: string; app_slug: string; redirect_to?: string };
export type RackbeatWebhook = { id: number; event: string; url: string; is_active: boolean; token?: string };

/** Rackbeat's API (bearer token) and its integration accept/cancel endpoints (no auth header). */
export class RackbeatClient {
  constructor(
    private readonly token: string,
    private readonly config = env().rackbeat,
  ) {}

  request<T>(path: string, options: RequestOptions = {}) {
    return requestJson<T>("Rackbeat", `${this.config.apiUrl}${path}`, {
      ...options,
      headers: { Authorization: `Bearer ${this.token}`, ...options.headers },
      okStatuses: [206, ...(options.okStatuses ?? [])],
    });
  }

  /** Every item of a paged list (HTTP 206, `{ <key>: [...], pages, page }`). */
  async listAll<T>(path: string, key: string): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; ; page++) {
      const sep = path.includes("?") ? "&" : "?";
      const { data } = await this.request<Record<string, unknown> & { pages?: number }>(
        `${path}${sep}limit=${UNCERTAIN.rackbeat.listPageLimit}&page=${page}`,
      );
      const batch = (data[key] as T[] | undefined) ?? [];
      items.push(...batch);
      if (batch.length === 0 || page >= (data.pages ?? 1)) return items;
    }
  }

  /** One product by number, or undefined if Rackbeat has none. */
  async findProduct(number: string): Promise<{ number: string; name: string } | undefined> {
    try {
      return (
        await this.request<{ product: { number: string; name: string } }>(
          `/products/${encodeURIComponent(number)}`,
        )
      ).data.product;
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  async getSelf(): Promise<RackbeatSelf> {
    return (await this.request<RackbeatSelf>("/self")).data;
  }

  async listWebhooks(event?: string): Promise<RackbeatWebhook[]> {
    const q = new URLSearchParams({ limit: "200", ...(event ? { event } : {}) });
    return (await this.request<{ webhooks: RackbeatWebhook[] }>(`/webhooks?${q}`)).data.webhooks;
  }

  async createWebhook(event: string, url: string): Promise<RackbeatWebhook> {
    return (
      await this.request<{ webhook: RackbeatWebhook }>("/webhooks", {
        method: "POST",
        body: { event, url, is_active: true },
      })
    ).data.webhook;
  }

  async deleteWebhook(id: number): Promise<void> {
    await this.request(`/webhooks/${id}`, { method: "DELETE", okStatuses: [404] });
  }

  async setSettingsUrl(appSlug: string, settingsUrl: string): Promise<void> {
    await this.request(`/plugins/${encodeURIComponent(appSlug)}/set-settings-url`, {
      method: "POST",
      body: { settings_url: settingsUrl },
    });
  }
}

export async function acceptIntegration(
  requestToken: string,
  config = env().rackbeat,
): Promise<AcceptedIntegration> {
  return (
    await requestJson<AcceptedIntegration>(
      "Rackbeat",
      `${config.integrationUrl}/accept/${encodeURIComponent(requestToken)}`,
      { method: "POST" },
    )
  ).data;
}

export async function cancelIntegration(requestToken: string, config = env().rackbeat): Promise<void> {
  await requestJson("Rackbeat", `${config.integrationUrl}/cancel/${encodeURIComponent(requestToken)}`, {
    method: "POST",
    okStatuses: [404, 410],
  });
}
