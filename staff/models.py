"""The organisation: company settings, departments, positions, grades, employees."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .singleton import SingletonSettings, singleton

MONEY = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = MinValueValidator(Decimal("0"), message=_("The amount cannot be negative."))

DEPARTMENT_CYCLE = _("A department cannot be placed under itself or one of its sub-departments.")
HIRE_DATE_IN_FUTURE = _("The hire date cannot be in the future.")
LEFT_WITHOUT_DATE = _("Give the date the employee left.")
SUPERVISOR_SELF = _("An employee cannot be their own supervisor.")


class Region(models.TextChoices):
    """Provinces and province-level regions of mainland China (the company's seat)."""

    BEIJING = "beijing", _("Beijing")
    TIANJIN = "tianjin", _("Tianjin")
    HEBEI = "hebei", _("Hebei")
    SHANXI = "shanxi", _("Shanxi")
    INNER_MONGOLIA = "inner_mongolia", _("Inner Mongolia")
    LIAONING = "liaoning", _("Liaoning")
    JILIN = "jilin", _("Jilin")
    HEILONGJIANG = "heilongjiang", _("Heilongjiang")
    SHANGHAI = "shanghai", _("Shanghai")
    JIANGSU = "jiangsu", _("Jiangsu")
    ZHEJIANG = "zhejiang", _("Zhejiang")
    ANHUI = "anhui", _("Anhui")
    FUJIAN = "fujian", _("Fujian")
    JIANGXI = "jiangxi", _("Jiangxi")
    SHANDONG = "shandong", _("Shandong")
    HENAN = "henan", _("Henan")
    HUBEI = "hubei", _("Hubei")
    HUNAN = "hunan", _("Hunan")
    GUANGDONG = "guangdong", _("Guangdong")
    GUANGXI = "guangxi", _("Guangxi")
    HAINAN = "hainan", _("Hainan")
    CHONGQING = "chongqing", _("Chongqing")
    SICHUAN = "sichuan", _("Sichuan")
    GUIZHOU = "guizhou", _("Guizhou")
    YUNNAN = "yunnan", _("Yunnan")
    TIBET = "tibet", _("Tibet")
    SHAANXI = "shaanxi", _("Shaanxi")
    GANSU = "gansu", _("Gansu")
    QINGHAI = "qinghai", _("Qinghai")
    NINGXIA = "ningxia", _("Ningxia")
    XINJIANG = "xinjiang", _("Xinjiang")


# Regions whose labour inspection treats company rules that fine staff as unlawful
# (domain.md §4: e.g. Guangdong's labour-inspection rules, order to correct, then
# ¥2000–5000 per affected employee). The product warns; it does not refuse.
FINES_UNLAWFUL_REGIONS = frozenset({Region.GUANGDONG})


class CompanySettings(SingletonSettings):
    """The one row of company-wide settings (pk=1), read through ``CompanySettings.get()``."""

    updated_at = None  # who changed it last is not kept on the row
    updated_by = None

    name = models.CharField(_("company name"), max_length=200, default="")
    region = models.CharField(
        _("region"), max_length=32, choices=Region.choices, default=Region.HENAN
    )
    local_minimum_wage = models.DecimalField(
        _("local monthly minimum wage"),
        **MONEY,
        default=Decimal("2100.00"),
        validators=[NON_NEGATIVE],
    )
    daily_wage_divisor = models.DecimalField(
        _("daily-wage divisor"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("21.75"),
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("Monthly wage ÷ this number = daily wage (statutory 21.75 paid days)."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY", editable=False)

    class Meta:
        verbose_name = _("company settings")
        verbose_name_plural = _("company settings")
        constraints = [
            singleton(name="company_settings_singleton"),
            models.CheckConstraint(
                condition=Q(daily_wage_divisor__gte=1), name="company_settings_divisor_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(_("Company settings"))

    @property
    def fines_unlawful_in_region(self) -> bool:
        return self.region in FINES_UNLAWFUL_REGIONS


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    head = models.ForeignKey(
        "Employee",
        verbose_name=_("head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is None or self.pk is None:
            return
        parents = dict(Department.objects.values_list("id", "parent_id"))
        parents[self.pk] = self.parent_id
        seen: set[int] = set()
        current: int | None = self.parent_id
        while current is not None and current not in seen:
            if current == self.pk:
                raise ValidationError({"parent": DEPARTMENT_CYCLE})
            seen.add(current)
            current = parents.get(current)


class Position(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """A pay grade, e.g. seed 003 篇九: 试用 ¥1800, 初级 ¥2200 … 储备主管 ¥4000."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    base_pay = models.DecimalField(_("base pay"), **MONEY, validators=[NON_NEGATIVE])
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["rank", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(base_pay__gte=0), name="grade_base_pay_gte_0"),
        ]

    def __str__(self) -> str:
        return self.name


class EmployeeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")


class Employee(models.Model):
    employee_no = models.CharField(
        _("employee number"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
                _("Use letters, digits, hyphens and underscores only."),
            )
        ],
    )
    name = models.CharField(_("name"), max_length=64)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="employees",
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, null=True, blank=True
    )
    grade = models.ForeignKey(
        Grade, verbose_name=_("grade"), on_delete=models.PROTECT, null=True, blank=True
    )
    hire_date = models.DateField(_("hire date"))
    monthly_wage = models.DecimalField(_("monthly wage"), **MONEY, validators=[NON_NEGATIVE])
    monthly_bonus = models.DecimalField(
        _("monthly bonus / performance pay"),
        **MONEY,
        default=Decimal("0"),
        validators=[NON_NEGATIVE],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EmployeeStatus.choices, default=EmployeeStatus.ACTIVE
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("supervisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["employee_no"]
        permissions = [
            ("view_all_employees", _("Can view employees of every department")),
        ]
        indexes = [
            models.Index(fields=["department", "employee_no"], name="employee_dept_no_idx"),
            models.Index(fields=["name"], name="employee_name_idx"),
            models.Index(fields=["status"], name="employee_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_wage__gte=0), name="employee_monthly_wage_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(monthly_bonus__gte=0), name="employee_monthly_bonus_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_no} {self.name}"

    def clean(self) -> None:
        errors = {}
        if self.hire_date and self.hire_date > timezone.localdate():
            errors["hire_date"] = HIRE_DATE_IN_FUTURE
        if self.status == EmployeeStatus.LEFT and not self.left_on:
            errors["left_on"] = LEFT_WITHOUT_DATE
        if self.pk and self.supervisor_id == self.pk:
            errors["supervisor"] = SUPERVISOR_SELF
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.status == EmployeeStatus.ACTIVE
