import Image from "next/image";
import Link from "next/link";

/** The frame of every app page: product name, optional right-hand content, and a narrow main column. */
export function PageShell({
  children,
  aside,
  wide = false,
}: {
  children: React.ReactNode;
  aside?: React.ReactNode;
  wide?: boolean;
}) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div
          className={`mx-auto flex items-center justify-between gap-4 px-4 py-3 ${wide ? "max-w-5xl" : "max-w-3xl"}`}
        >
          <Link href="/" className="flex items-center gap-2 text-sm font-semibold text-brand-600">
            <Image src="/icon.svg" alt="" width={24} height={24} unoptimized />
            Rackbeat → e-conomic
          </Link>
          {aside}
        </div>
      </header>
      <main className={`mx-auto px-4 py-8 ${wide ? "max-w-5xl" : "max-w-3xl"}`}>{children}</main>
    </div>
  );
}

export function Card({ children, className = "" }: { children: React.ReactNode; className?: string }) {
  return (
    <section className={`rounded-xl border border-slate-200 bg-white p-6 shadow-sm ${className}`}>
      {children}
    </section>
  );
}

const buttonStyles = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 focus-visible:ring-brand-600",
  economic: "bg-economic text-white hover:opacity-90 focus-visible:ring-economic",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 focus-visible:ring-slate-400",
  danger: "bg-red-700 text-white hover:bg-red-800 focus-visible:ring-red-700",
} as const;

export const buttonClass = (variant: keyof typeof buttonStyles = "primary") =>
  `inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:opacity-60 ${buttonStyles[variant]}`;

export function Banner({
  tone,
  title,
  children,
}: {
  tone: "warning" | "error" | "info" | "success";
  title: string;
  children?: React.ReactNode;
}) {
  const tones = {
    warning: "border-amber-300 bg-amber-50 text-amber-900",
    error: "border-red-300 bg-red-50 text-red-900",
    info: "border-sky-300 bg-sky-50 text-sky-900",
    success: "border-emerald-300 bg-emerald-50 text-emerald-900",
  };
  return (
    <div
      role={tone === "error" || tone === "warning" ? "alert" : "status"}
      className={`mb-6 rounded-lg border px-4 py-3 ${tones[tone]}`}
    >
      <p className="font-semibold">{title}</p>
      {children && <div className="mt-1 text-sm">{children}</div>}
    </div>
  );
}
