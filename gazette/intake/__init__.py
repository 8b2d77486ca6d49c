"""Intake: turning what staff already have into notice files.

Staff hold every notice already, as text copied from the gazette, as a Word
file or as a page of a provincial disclosure site.  `build.py import` reads
those, finds the fields a clerk would otherwise retype, and writes notices in
the format of NOTICE-FORMAT.md.  One step per module, in the order they run:

1. `text`      bytes → text: the encoding is detected (strict UTF-8, then
               GB18030, then a detector only as a reported fallback), line
               endings and invisible characters are cleaned, with a note of
               everything changed;
   `docx`      a Word file → the same lines, with Word's automatic numbering
               (一、（一）1.) written out and tables kept as tables;
2. `webpage`   a copied disclosure page: its metadata block (索引号, 文号 …)
               read into fields, its page chrome dropped;
3. `split`     a gazette with many documents → one part per document;
4. `recognize` one document → fields (each with the text it came from), body
               and attachments;
5. `markdown`  body lines → Markdown, one paragraph per line, imported text
               escaped so that it stays text;
6. `writer`    fields → front-matter through the field table, the canonical
               path through gazette.addresses, checked again by the loader.

Nothing is guessed silently: every field is either found (with its evidence),
given by the clerk, or named as not determined in what `import` prints.
"""
