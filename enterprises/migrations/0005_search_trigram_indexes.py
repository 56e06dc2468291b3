"""Trigram indexes for the header search's substring matches (PostgreSQL; a no-op elsewhere)."""

from django.db import migrations

from bureau.search import trigram_index_operations


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0004_certification_constraint_messages")]

    operations = [
        *trigram_index_operations("enterprises_enterprise", ["name", "credit_code", "name_initials"]),
        *trigram_index_operations("enterprises_need", ["title"]),
    ]
