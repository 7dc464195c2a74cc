"""Paging lists: ``paginate`` (``?page=`` and ``?per_page=`` among ``PAGE_SIZES``) for every
list, and ``paginate_large`` for tables of a million rows (issue 11, README "Benchmarks").

Django's ``Paginator`` counts every row and reads a page with ``OFFSET``: PostgreSQL then
walks (and joins) every row before the page. ``LargeTablePaginator`` keeps page numbers
and the same rows on each page, but:

- an unfiltered queryset on a table above ``ESTIMATE_ABOVE`` rows is counted from the
  planner's statistics (``pg_class.reltuples``), and the page says the count is an
  estimate (``paginator.estimated``); a page past the estimated middle counts exactly;
- a page past the middle is read from the other end of the order (the reversed ordering
  with a small offset), so the last page costs what the first does;
- a page deep in either half first picks its ids in a subquery that touches only the
  table's index (``id IN (SELECT id … ORDER BY … LIMIT … OFFSET …)``), then joins the
  related rows for those ids alone.

The ordering must end with a unique column (the primary key), so that the reversed order
is exactly the forward one backwards and no row is on two pages.
"""

from __future__ import annotations

import copy

from django.core.paginator import EmptyPage, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

PAGE_SIZES = (10, 25, 50, 100)
ESTIMATE_ABOVE = 100_000  # rows; below it an unfiltered count is exact (and cheap)
DEFERRED_FROM = 200  # offset from which the ids are picked first, then the rows joined


def page_size(request, default: int = 25) -> int:
    """The page size asked for in ?per_page=, limited to the sizes the UI offers."""
    try:
        size = int(request.GET.get("per_page", default))
    except ValueError:
        return default
    return size if size in PAGE_SIZES else default


def paginate(request, queryset, default: int = 25):
    return Paginator(queryset, page_size(request, default)).get_page(request.GET.get("page"))


def count_or_estimate(queryset: QuerySet, above: int) -> tuple[int, bool] | None:
    """``(rows, estimated)`` of an unfiltered queryset in one query (PostgreSQL): the
    planner's estimate of its table if above ``above``, else the exact count. None when
    the database cannot tell."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    # The table's name is the model's, quoted: no user input goes into the SQL. The
    # uncounted branch's subquery is never run: PostgreSQL evaluates it on first use.
    sql = "SELECT CASE WHEN reltuples > %s THEN reltuples::bigint ELSE (SELECT COUNT(*) FROM "
    sql += table + ") END, reltuples > %s FROM pg_class WHERE oid = to_regclass(%s)"
    with connection.cursor() as cursor:
        cursor.execute(sql, [above, above, table])
        row = cursor.fetchone()
    if row is None:
        return None
    return int(row[0]), bool(row[1])


class LargeTablePaginator(Paginator):
    """A paginator for a queryset over a big table; see the module's docstring."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page, **kwargs)
        self._estimated = False

    @property
    def estimated(self) -> bool:
        """Whether ``count`` (and so ``num_pages``) is the planner's estimate."""
        return self.count is not None and self._estimated

    @property
    def shown_count(self) -> str:
        """The count with thousands separated, for the "about 1,000,000 records" label."""
        return f"{self.count:,}"

    @property
    def shown_pages(self) -> str:
        return f"{self.num_pages:,}"

    # --- counting ---------------------------------------------------------------------

    def _unfiltered(self) -> bool:
        """A queryset of every row of its table (joins for select_related aside, and
        annotations computed from each row, which do not change how many there are)."""
        qs = self.object_list
        if not isinstance(qs, QuerySet):
            return False
        query = qs.query
        return not (
            query.where
            or query.is_sliced
            or query.distinct
            or query.combinator
            or query.group_by
            or any(
                getattr(annotation, "contains_aggregate", True)
                or getattr(annotation, "contains_over_clause", False)
                for annotation in query.annotations.values()
            )
        )

    @cached_property
    def count(self) -> int:
        if self._unfiltered():
            found = count_or_estimate(self.object_list, ESTIMATE_ABOVE)
            if found is not None:
                rows, self._estimated = found
                return rows
        return self._exact_count()

    def _exact_count(self) -> int:
        return Paginator.count.func(self)

    def _count_exactly(self) -> None:
        self.__dict__["count"] = self._exact_count()
        self.__dict__.pop("num_pages", None)
        self._estimated = False

    def validate_number(self, number):
        try:
            number = super().validate_number(number)
        except EmptyPage:
            if not self._estimated:
                raise
            self._count_exactly()  # past the estimated end: the true end may be further
            return super().validate_number(number)
        if self._estimated and number > 1 and number > self.num_pages // 2:
            self._count_exactly()  # reading from the end needs the exact position
            number = super().validate_number(number)
        return number

    # --- reading a page ---------------------------------------------------------------

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows(bottom, top), number, self)

    def rows(self, bottom: int, top: int):
        """Rows ``bottom`` to ``top`` (exclusive) of the ordered queryset."""
        qs = self.object_list
        if not isinstance(qs, QuerySet):
            return qs[bottom:top]
        from_end = self.count - top
        if not self._estimated and 0 <= from_end < bottom:
            return self._slice(qs, qs.reverse(), from_end, self.count - bottom)
        return self._slice(qs, qs, bottom, top)

    @staticmethod
    def _slice(qs: QuerySet, walk: QuerySet, start: int, stop: int):
        """Rows ``start:stop`` of ``walk`` (``qs`` or ``qs`` reversed), in ``qs``'s order."""
        if walk is qs and start < DEFERRED_FROM:
            return qs[start:stop]
        ids = walk.values("pk")[start:stop]
        outer = qs.model._default_manager.filter(pk__in=ids).order_by(*qs.query.order_by)
        outer.query.select_related = copy.deepcopy(qs.query.select_related)
        # The same columns as ``qs``: its only()/defer() and its annotations of each row
        # (expressions over the table's own columns, so they read alike in ``outer``).
        outer.query.deferred_loading = qs.query.deferred_loading
        if qs.query.annotations:
            outer = outer.annotate(**qs.query.annotations)
        outer._prefetch_related_lookups = qs._prefetch_related_lookups
        outer.query.standard_ordering = True
        if not qs.query.standard_ordering:
            outer = outer.reverse()
        return outer


def paginate_large(request, queryset, default: int = 25):
    """``paginate`` for a big table: ``?page=`` and ``?per_page=`` as there."""
    paginator = LargeTablePaginator(queryset, page_size(request, default))
    return paginator.get_page(request.GET.get("page"))
