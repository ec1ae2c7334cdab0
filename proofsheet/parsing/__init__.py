"""Reading untrusted text: LaTeX math, Markdown/LaTeX documents, statements.

Nothing here calls ``eval``, ``sympify`` or SymPy's own parsers: every input
goes through a Lark grammar of our own and a transformer that builds SymPy
objects from explicit tables. Imports only the kernel (an import-linter contract).
"""
