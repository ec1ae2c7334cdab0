"""What is written down: the proof log (serial, prooflog), its replay by the kernel alone,
verdicts as JSON and text, descriptions of certificates. Imports only the kernel.
"""
