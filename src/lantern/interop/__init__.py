"""Speaking the agencies' languages: FHIR UK Core import and export, and the CP-IS-style flag look-up."""
