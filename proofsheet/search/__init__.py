"""Untrusted search for certificates and counterexamples, one module per idea, under the limits
of time and memory that hold for untrusted input. Imports only the kernel; the kernel checks
everything it finds.
"""
