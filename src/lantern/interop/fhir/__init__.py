"""FHIR R4 (UK Core) Bundles: export a family, import a Bundle as canonical events."""
