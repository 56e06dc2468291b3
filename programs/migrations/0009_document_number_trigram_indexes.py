"""Trigram indexes for searching by 立项文号 and 合同编号 (PostgreSQL; a no-op elsewhere)."""

from django.db import migrations

from bureau.search import trigram_index_operations


class Migration(migrations.Migration):
    dependencies = [("programs", "0008_county_track")]

    operations = [
        *trigram_index_operations("programs_application", ["approval_number", "contract_number"]),
    ]
