"""The Excel ledger engine (台账导入), one step per module:

- ``columns``: the declarations (Column, Ledger) and the cell parsers;
- ``safety``: whole-file checks before a row is read (size, signature, zip bombs, DTDs);
- ``reader``: the sheet's rows, the header matched, every cell parsed;
- ``validators``: one row through the record's form and model rules (the fast path and the
  plain ModelForm reference it is tested against);
- ``validation``: the whole file checked, nothing written;
- ``write``: all-or-nothing bulk writes with their history rows;
- ``template``: the .xlsx to fill in;
- ``jobs`` (+ ``tasks``, ``views``, ``urls``, the ``import_ledger`` command): uploads, previews
  and confirmations.

It depends on ``bureau.records`` (ImportJob, RecordForm, the data version); nothing in
``bureau.records`` imports it (the record pages find a model's ledger through the registry).
"""
