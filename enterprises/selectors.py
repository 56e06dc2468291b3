from django.db.models import Q, QuerySet

from .models import Enterprise


def enterprise_search(*, query: str, limit: int = 20) -> QuerySet[Enterprise]:
    """For the picker: name contains, or credit code starts with, the query."""
    query = query.strip()
    qs = Enterprise.objects.only("pk", "name", "credit_code").order_by("name")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(credit_code__istartswith=query))
    return qs[:limit]
