"""Injuries: a body map with a controlled vocabulary, and the bruising rule (TEN-4-FACESp, non-mobile infants)."""
