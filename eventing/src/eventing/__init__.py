"""The plumbing every idpro service reuses."""
