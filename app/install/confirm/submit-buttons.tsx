"use client";

import { useFormStatus } from "react-dom";
import { buttonClass } from "@/app/ui/page-shell";

/** Confirm and decline, disabled while the answer is on its way (a double click sends one answer). */
export function SubmitButtons({
  confirm,
  decline,
  pending,
}: {
  confirm: string;
  decline: string;
  pending: string;
}) {
  const status = useFormStatus();
  return (
    <>
      <button
        type="submit"
        name="decision"
        value="confirm"
        className={buttonClass()}
        disabled={status.pending}
      >
        {status.pending ? pending : confirm}
      </button>
      <button
        type="submit"
        name="decision"
        value="decline"
        className={buttonClass("secondary")}
        disabled={status.pending}
      >
        {decline}
      </button>
    </>
  );
}
