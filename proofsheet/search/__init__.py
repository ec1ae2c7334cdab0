"""The untrusted search: it finds certificates and plans; the kernel checks them."""
