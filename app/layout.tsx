import type { Metadata, Viewport } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Rackbeat → e-conomic", template: "%s · Rackbeat → e-conomic" },
  description:
    "Moves invoices, supplier invoices, products, customers, suppliers and inventory value from Rackbeat to Visma e-conomic, exactly once.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
