"""Every event a record's log may hold, each declared once: its name, the payload it carries (a
TypedDict, so that mypy refuses an event built without one of its keys), what it does to a record and
how it reads in the history. One module per family of events: making.py (a record made, imported or
exported), content.py (its texts, lists and duties), options.py, weighing.py and review.py
(consultation, ratings, signature, addenda); kind.py says what a declaration holds, and registry.py
gathers them for the fold (domain/fold.py) and the history (domain/history.py).

A new event is one `EventKind` in its family's module, listed in that module's `KINDS`.
"""
