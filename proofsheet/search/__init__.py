"""Untrusted search: tactics that find certificates and plans for the kernel to check."""
