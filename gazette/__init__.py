"""The logic of the publication site: notices, numbers, pages, indexes.

Nothing in this package imports MkDocs; hooks/gazette_hooks.py adapts it.
"""
