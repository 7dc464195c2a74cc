"""Reads for dashboards, charts, reports and the conduct file: aggregate queries
(``values().annotate(Count, Sum)``, ``TruncMonth``) over the other apps' scoped
selectors, so that a department head sees their subtree and an employee only themselves."""
