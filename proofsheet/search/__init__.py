"""Untrusted search: each module finds plans that only the kernel can turn into theorems."""
