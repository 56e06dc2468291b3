from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "科技计划与项目"

    def ready(self):
        # Importing these registers the record types, indicators, enterprise-page sections and reminders.
        from . import (  # noqa: F401
            indicators,
            ledgers,
            notifications,
            profile,
            reminders,
            report,
            review_ledgers,
            review_search,
            review_views,
            search,
            views,
        )
        from .review_guards import REVIEW_EXIT_GUARDS
        from .workflow import add_guard

        # 专家评审 → 公示 only once the call's review round is closed (its scores final).
        for guard in REVIEW_EXIT_GUARDS:
            add_guard("publicize", guard)
