"""Checking a student's file: steps, definitions, assumptions, feedback, the report.

May import record, search, parsing and kernel; never the sheets.
"""
