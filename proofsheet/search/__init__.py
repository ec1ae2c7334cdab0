"""Untrusted certificate searches, one module per idea; the kernel re-checks what they find."""
