"""Untrusted search for certificates, one module per idea; tactics imports it, never the reverse."""
