# Rewards: reward types per rulebook version, awards, approval history, notices, nominations.

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('conduct', '0001_rulebooks'),
        ('staff', '0002_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RewardNoticeCounter',
            fields=[
                ('year', models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name='year')),
                ('last_sequence', models.PositiveIntegerField(default=0, verbose_name='last number')),
            ],
            options={
                'verbose_name': 'reward notice counter',
                'verbose_name_plural': 'reward notice counters',
            },
        ),
        migrations.CreateModel(
            name='Award',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('manual', 'Logged by HR'), ('service_star', 'Service star selection'), ('long_service', 'Long service')], default='manual', max_length=16, verbose_name='source')),
                ('amount', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=12, verbose_name='amount')),
                ('department_amount', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=12, verbose_name="department's share")),
                ('chosen_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='chosen amount')),
                ('involved_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='amount involved')),
                ('monthly_wage', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='monthly wage used')),
                ('lines', models.JSONField(blank=True, default=list, verbose_name='money lines')),
                ('explanation', models.TextField(blank=True, verbose_name='how it was worked out')),
                ('certificate', models.CharField(blank=True, max_length=200, verbose_name='certificate or title')),
                ('reason', models.TextField(verbose_name='reason')),
                ('awarded_on', models.DateField(verbose_name='awarded on')),
                ('required_tier', models.CharField(choices=[('department_head', 'Department head'), ('deputy_gm', 'Deputy general manager'), ('gm', 'General manager')], default='department_head', max_length=20, verbose_name='approval needed from')),
                ('status', models.CharField(choices=[('pending', 'Pending approval'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('voided', 'Voided')], default='pending', max_length=16, verbose_name='status')),
                ('logged_at', models.DateTimeField(verbose_name='logged at')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('decision_comment', models.TextField(blank=True, verbose_name='decision comment')),
                ('voided_at', models.DateTimeField(blank=True, null=True, verbose_name='voided at')),
                ('void_reason', models.TextField(blank=True, verbose_name='void reason')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='awards_decided', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='awards', to='staff.department', verbose_name='department')),
                ('employee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='awards', to='staff.employee', verbose_name='employee')),
                ('logged_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='awards_logged', to=settings.AUTH_USER_MODEL, verbose_name='logged by')),
                ('voided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='voided by')),
            ],
            options={
                'verbose_name': 'award',
                'verbose_name_plural': 'awards',
                'ordering': ['-awarded_on', '-pk'],
                'permissions': [('decide_award', 'Can approve or reject awards within their authority'), ('void_award', 'Can void awards until the payroll month is closed'), ('view_own_awards', 'Can see their own awards')],
            },
        ),
        migrations.CreateModel(
            name='AwardEvidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=300, upload_to='award-evidence/%Y/%m/', verbose_name='file')),
                ('original_name', models.CharField(max_length=200, verbose_name='original file name')),
                ('content_type', models.CharField(max_length=64, verbose_name='content type')),
                ('size', models.PositiveIntegerField(verbose_name='size (bytes)')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                ('award', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='rewards.award', verbose_name='award')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'award evidence',
                'verbose_name_plural': 'award evidence',
                'ordering': ['award', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='RewardType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=64, verbose_name='code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('text', models.TextField(verbose_name='text of the regulation')),
                ('schedule', models.JSONField(default=dict, verbose_name='reward schedule')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reward_types', to='conduct.rulebookversion', verbose_name='rulebook version')),
            ],
            options={
                'verbose_name': 'reward type',
                'verbose_name_plural': 'reward types',
                'ordering': ['version', 'position', 'code'],
            },
        ),
        migrations.AddField(
            model_name='award',
            name='reward_type',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='awards', to='rewards.rewardtype', verbose_name='reward type'),
        ),
        migrations.CreateModel(
            name='ServiceStarNomination',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='month')),
                ('reason', models.TextField(verbose_name='reason')),
                ('nominated_at', models.DateTimeField(verbose_name='nominated at')),
                ('status', models.CharField(choices=[('nominated', 'Nominated'), ('selected', 'Selected')], default='nominated', max_length=16, verbose_name='status')),
                ('selected_at', models.DateTimeField(blank=True, null=True, verbose_name='selected at')),
                ('award', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='nomination', to='rewards.award', verbose_name='award')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_star_nominations', to='staff.department', verbose_name='department')),
                ('employee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_star_nominations', to='staff.employee', verbose_name='nominee')),
                ('nominated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='nominated by')),
                ('selected_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='selected by')),
            ],
            options={
                'verbose_name': 'service-star nomination',
                'verbose_name_plural': 'service-star nominations',
                'ordering': ['-month', 'department__code'],
                'permissions': [('nominate_service_star', 'Can nominate the service star of their department'), ('select_service_star', "Can select the month's service stars")],
            },
        ),
        migrations.CreateModel(
            name='AwardTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('approve', 'Approved'), ('reject', 'Rejected'), ('void', 'Voided')], max_length=16, verbose_name='action')),
                ('from_status', models.CharField(choices=[('pending', 'Pending approval'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('voided', 'Voided')], max_length=16, verbose_name='from')),
                ('to_status', models.CharField(choices=[('pending', 'Pending approval'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('voided', 'Voided')], max_length=16, verbose_name='to')),
                ('actor_tier', models.CharField(blank=True, choices=[('department_head', 'Department head'), ('deputy_gm', 'Deputy general manager'), ('gm', 'General manager')], max_length=20, verbose_name='acting as')),
                ('at', models.DateTimeField(verbose_name='at')),
                ('comment', models.TextField(blank=True, verbose_name='comment')),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='award_transitions', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('award', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='transitions', to='rewards.award', verbose_name='award')),
            ],
            options={
                'verbose_name': 'award transition',
                'verbose_name_plural': 'award transitions',
                'ordering': ['award', 'at', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('from_status', models.F('to_status')), _negated=True), name='award_transition_changes_status')],
            },
        ),
        migrations.CreateModel(
            name='RewardNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=32, unique=True, verbose_name='number')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('sequence', models.PositiveIntegerField(verbose_name='sequence')),
                ('issued_at', models.DateTimeField(verbose_name='issued at')),
                ('snapshot', models.JSONField(default=dict, verbose_name='printed text')),
                ('award', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='notice', to='rewards.award', verbose_name='award')),
                ('issued_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
            ],
            options={
                'verbose_name': 'reward notice',
                'verbose_name_plural': 'reward notices',
                'ordering': ['-issued_at', '-pk'],
                'permissions': [('print_reward_notice', 'Can print reward notices')],
                'constraints': [models.UniqueConstraint(fields=('year', 'sequence'), name='reward_notice_year_seq')],
            },
        ),
        migrations.CreateModel(
            name='RewardSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('service_star_winners', models.PositiveSmallIntegerField(default=3, help_text='How many nominees HR or the GM may select company-wide each month.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(50)], verbose_name='service stars a month')),
                ('service_star_code', models.SlugField(default='service-star', max_length=64, verbose_name='reward code of the service star')),
                ('long_service_code', models.SlugField(default='long-service', max_length=64, verbose_name='reward code of the long-service award')),
                ('long_service_years', models.PositiveSmallIntegerField(default=5, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(50)], verbose_name='years of service for the long-service award')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('long_service_rulebook', models.ForeignKey(blank=True, help_text='Empty: the first rulebook (by code) with a reward of that code in force.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='conduct.rulebook', verbose_name='rulebook of the long-service award')),
                ('service_star_rulebook', models.ForeignKey(blank=True, help_text='Empty: the first rulebook (by code) with a reward of that code in force.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='conduct.rulebook', verbose_name='rulebook of the service star')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'reward settings',
                'verbose_name_plural': 'reward settings',
                'constraints': [models.CheckConstraint(condition=models.Q(('pk', 1)), name='reward_settings_singleton'), models.CheckConstraint(condition=models.Q(('service_star_winners__gte', 1)), name='reward_settings_winners_gte_1'), models.CheckConstraint(condition=models.Q(('long_service_years__gte', 1)), name='reward_settings_years_gte_1')],
            },
        ),
        migrations.AddConstraint(
            model_name='rewardtype',
            constraint=models.UniqueConstraint(fields=('version', 'code'), name='reward_type_code_unique'),
        ),
        migrations.AddIndex(
            model_name='award',
            index=models.Index(fields=['status', 'required_tier'], name='award_status_tier_idx'),
        ),
        migrations.AddIndex(
            model_name='award',
            index=models.Index(fields=['status', 'awarded_on'], name='award_status_month_idx'),
        ),
        migrations.AddIndex(
            model_name='award',
            index=models.Index(fields=['employee', 'status'], name='award_employee_status_idx'),
        ),
        migrations.AddIndex(
            model_name='award',
            index=models.Index(fields=['department', 'status'], name='award_dept_status_idx'),
        ),
        migrations.AddConstraint(
            model_name='award',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='award_amount_gte_0'),
        ),
        migrations.AddConstraint(
            model_name='award',
            constraint=models.CheckConstraint(condition=models.Q(('department_amount__gte', 0)), name='award_department_amount_gte_0'),
        ),
        migrations.AddConstraint(
            model_name='award',
            constraint=models.CheckConstraint(condition=models.Q(('employee__isnull', False), ('department_amount', 0), _connector='OR'), name='award_department_share_only_with_employee'),
        ),
        migrations.AddConstraint(
            model_name='award',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'voided']), models.Q(('decided_by__isnull', False), ('decided_at__isnull', False)), _connector='OR'), name='award_decided_has_who_when'),
        ),
        migrations.AddConstraint(
            model_name='award',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'voided'), _negated=True), models.Q(('voided_by__isnull', False), ('voided_at__isnull', False), models.Q(('void_reason', ''), _negated=True)), _connector='OR'), name='award_voided_has_who_when_why'),
        ),
        migrations.AddConstraint(
            model_name='award',
            constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='award_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='servicestarnomination',
            constraint=models.UniqueConstraint(fields=('department', 'month'), name='service_star_one_per_department_month'),
        ),
        migrations.AddConstraint(
            model_name='servicestarnomination',
            constraint=models.CheckConstraint(condition=models.Q(('month__day', 1)), name='service_star_month_is_first_day'),
        ),
        migrations.AddConstraint(
            model_name='servicestarnomination',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('award__isnull', True), ('selected_by__isnull', True), ('status', 'nominated')), models.Q(('award__isnull', False), ('selected_by__isnull', False), ('status', 'selected')), _connector='OR'), name='service_star_selected_has_award'),
        ),
        migrations.AddConstraint(
            model_name='servicestarnomination',
            constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='service_star_has_reason'),
        ),
    ]
