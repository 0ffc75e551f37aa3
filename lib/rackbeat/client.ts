import { env } from "@/lib/env";
import { requestJson, type RequestOptions } from "@/lib/http";

export type RackbeatSelf = { user_account: { id: number | string; company_name: string }; user?: { id: number; name: string; email: string } };
export type AcceptedIntegration = { access_token: string; app_slug: string; redirect_to?: string };
export type RackbeatWebhook = { id: number; event: string; url: string; is_active: boolean; token?: string };

/** Rackbeat's API (bearer token) and its integration accept/cancel endpoints (no auth header). */
export class RackbeatClient {
  constructor(
    private readonly token: string,
    private readonly config = env().rackbeat,
  ) {}

  request<T>(path: string, options: RequestOptions = {}) {
    return requestJson<T>("Rackbeat", `${this.config.apiUrl}${path}`, { ...options, headers: { Authorization: `Bearer ${this.token}`, ...options.headers }, okStatuses: [206, ...(options.okStatuses ?? [])] });
  }

  async getSelf(): Promise<RackbeatSelf> {
    return (await this.request<RackbeatSelf>("/self")).data;
  }

  async listWebhooks(event?: string): Promise<RackbeatWebhook[]> {
    const q = new URLSearchParams({ limit: "200", ...(event ? { event } : {}) });
    return (await this.request<{ webhooks: RackbeatWebhook[] }>(`/webhooks?${q}`)).data.webhooks;
  }

  async createWebhook(event: string, url: string): Promise<RackbeatWebhook> {
    return (await this.request<{ webhook: RackbeatWebhook }>("/webhooks", { method: "POST", body: { event, url, is_active: true } })).data.webhook;
  }

  async deleteWebhook(id: number): Promise<void> {
    await this.request(`/webhooks/${id}`, { method: "DELETE", okStatuses: [404] });
  }

  async setSettingsUrl(appSlug: string, settingsUrl: string): Promise<void> {
    await this.request(`/plugins/${encodeURIComponent(appSlug)}/set-settings-url`, { method: "POST", body: { settings_url: settingsUrl } });
  }
}

export async function acceptIntegration(requestToken: string, config = env().rackbeat): Promise<AcceptedIntegration> {
  return (await requestJson<AcceptedIntegration>("Rackbeat", `${config.integrationUrl}/accept/${encodeURIComponent(requestToken)}`, { method: "POST" })).data;
}

export async function cancelIntegration(requestToken: string, config = env().rackbeat): Promise<void> {
  await requestJson("Rackbeat", `${config.integrationUrl}/cancel/${encodeURIComponent(requestToken)}`, { method: "POST", okStatuses: [404, 410] });
}
