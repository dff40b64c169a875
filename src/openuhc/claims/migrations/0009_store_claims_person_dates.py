# Claims storing at bulk speed: a submission's people's stored claims are looked up by citizen ID (rules 179, 151,
# 150), and the claims table keeps fewer indexes, each written for every stored claim: none on the person (nothing
# looks claims up by it), and status only for admissions (what grouping, review and the inpatient round ask).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0008_unit_claims_list_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(fields=['citizen_id', 'service_date'], name='claims_person_dates'),
        ),
        migrations.RemoveIndex(
            model_name='claim',
            name='claims_clai_status_725c9e_idx',
        ),
        migrations.AlterField(
            model_name='claim',
            name='person',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='claims', to='registry.person'),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(condition=models.Q(('kind', 'IP')), fields=['status'], name='claims_admission_status'),
        ),
    ]
