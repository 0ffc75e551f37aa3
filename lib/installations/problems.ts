/**
 * Everything that can go wrong during an install, as typed values: a code for the URL, words for the
 * customer (Danish and English) and what to do next. Details for the log stay on the server.
 */
export const INSTALL_PROBLEMS = {
  missing_rackbeat_token: {
    en: {
      title: "Start the install from Rackbeat",
      text: "This address needs the install link Rackbeat creates when you click Install in User settings → Apps.",
    },
    da: {
      title: "Start installationen fra Rackbeat",
      text: "Denne adresse kræver det installationslink, Rackbeat laver, når du klikker Installér under Brugerindstillinger → Apps.",
    },
    retry: "rackbeat",
  },
  declined: {
    en: {
      title: "You declined access in e-conomic",
      text: "Nothing was installed. The app needs access to your e-conomic agreement to transfer data. You can start again whenever you are ready.",
    },
    da: {
      title: "Du afviste adgang i e-conomic",
      text: "Intet blev installeret. Appen skal have adgang til din e-conomic-aftale for at overføre data. Du kan starte forfra, når du er klar.",
    },
    retry: "rackbeat",
  },
  invalid_grant: {
    en: {
      title: "e-conomic did not accept the approval",
      text: "The access token from e-conomic is not valid (it may have been revoked). Please approve the app again.",
    },
    da: {
      title: "e-conomic godkendte ikke adgangen",
      text: "Adgangsnøglen fra e-conomic er ikke gyldig (den kan være tilbagekaldt). Godkend appen igen.",
    },
    retry: "economic",
  },
  state_mismatch: {
    en: {
      title: "This install was started in another browser",
      text: "The approval does not match the install in progress in this browser, so we stopped for your safety. Start the install again in one browser window.",
    },
    da: {
      title: "Installationen blev startet i en anden browser",
      text: "Godkendelsen passer ikke til den installation, der er i gang i denne browser, så vi stoppede af sikkerhedshensyn. Start forfra i ét browservindue.",
    },
    retry: "rackbeat",
  },
  expired: {
    en: {
      title: "The install took too long",
      text: "An install must be finished within 30 minutes. Nothing was installed; please start again.",
    },
    da: {
      title: "Installationen tog for lang tid",
      text: "En installation skal gennemføres inden for 30 minutter. Intet blev installeret; start venligst forfra.",
    },
    retry: "rackbeat",
  },
  already_completed: {
    en: {
      title: "This install is already finished",
      text: "This approval link was already used. If you installed the app, sign in with e-conomic to open its settings.",
    },
    da: {
      title: "Installationen er allerede gennemført",
      text: "Dette godkendelseslink er allerede brugt. Har du installeret appen, så log ind med e-conomic for at åbne indstillingerne.",
    },
    retry: "signin",
  },
  rackbeat_token_invalid: {
    en: {
      title: "Rackbeat's install link was already used or has expired",
      text: "Rackbeat accepts each install link once. Click Install in Rackbeat again to get a new one.",
    },
    da: {
      title: "Rackbeats installationslink er brugt eller udløbet",
      text: "Rackbeat godtager hvert installationslink én gang. Klik Installér i Rackbeat igen for at få et nyt.",
    },
    retry: "rackbeat",
  },
  rackbeat_key_invalid: {
    en: {
      title: "Rackbeat did not accept the API key",
      text: "Check that you copied the whole key from Rackbeat → Company settings → API, and that it has not been deleted.",
    },
    da: {
      title: "Rackbeat godkendte ikke API-nøglen",
      text: "Tjek at du kopierede hele nøglen fra Rackbeat → Virksomhedsindstillinger → API, og at den ikke er slettet.",
    },
    retry: "connect",
  },
  rackbeat_unavailable: {
    en: {
      title: "Rackbeat could not be reached",
      text: "Rackbeat did not answer while we set up the app, so nothing was installed. Please try again in a few minutes.",
    },
    da: {
      title: "Rackbeat svarede ikke",
      text: "Rackbeat svarede ikke, mens vi satte appen op, så intet blev installeret. Prøv igen om et par minutter.",
    },
    retry: "rackbeat",
  },
  economic_unavailable: {
    en: {
      title: "e-conomic could not be reached",
      text: "e-conomic did not answer when we checked your approval, so nothing was installed. Please try again in a few minutes.",
    },
    da: {
      title: "e-conomic svarede ikke",
      text: "e-conomic svarede ikke, da vi tjekkede din godkendelse, så intet blev installeret. Prøv igen om et par minutter.",
    },
    retry: "rackbeat",
  },
  agreement_taken: {
    en: {
      title: "This e-conomic agreement is already connected to another Rackbeat account",
      text: "One e-conomic agreement can be connected to one Rackbeat account, so that no invoice is transferred twice. Uninstall the app in the other Rackbeat account first, or approve a different e-conomic agreement.",
    },
    da: {
      title: "Denne e-conomic-aftale er allerede forbundet til en anden Rackbeat-konto",
      text: "En e-conomic-aftale kan forbindes til én Rackbeat-konto, så ingen faktura overføres to gange. Afinstallér appen i den anden Rackbeat-konto først, eller godkend en anden e-conomic-aftale.",
    },
    retry: "rackbeat",
  },
  reconnect_mismatch: {
    en: {
      title: "You approved a different e-conomic agreement",
      text: "To reconnect, approve the same agreement this installation transfers to. Choose the right agreement on e-conomic's approval page.",
    },
    da: {
      title: "Du godkendte en anden e-conomic-aftale",
      text: "For at genforbinde skal du godkende den samme aftale, som installationen overfører til. Vælg den rigtige aftale på e-conomics godkendelsesside.",
    },
    retry: "reconnect",
  },
  not_found: {
    en: {
      title: "Installation not found",
      text: "Either it does not exist or you are not signed in to it. Sign in with e-conomic to open your installations.",
    },
    da: {
      title: "Installationen findes ikke",
      text: "Enten findes den ikke, eller du er ikke logget ind på den. Log ind med e-conomic for at åbne dine installationer.",
    },
    retry: "signin",
  },
  internal: {
    en: {
      title: "Something went wrong on our side",
      text: "Nothing was installed. Please try again; if it keeps happening, contact support.",
    },
    da: {
      title: "Noget gik galt hos os",
      text: "Intet blev installeret. Prøv igen; sker det igen, så kontakt support.",
    },
    retry: "rackbeat",
  },
} as const;

export type InstallProblemCode = keyof typeof INSTALL_PROBLEMS;

export class InstallProblem extends Error {
  constructor(
    readonly code: InstallProblemCode,
    /** For the log only: never shown, never containing a token. */
    readonly details?: Record<string, unknown>,
  ) {
    super(INSTALL_PROBLEMS[code].en.title);
    this.name = "InstallProblem";
  }
}

export const isInstallProblemCode = (code: string): code is InstallProblemCode =>
  Object.hasOwn(INSTALL_PROBLEMS, code);
