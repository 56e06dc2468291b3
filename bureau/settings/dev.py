from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# make run's demo accounts (password demo12345) open without a forced change; never in production.
PASSWORD_POLICY_DEMO_EXEMPT = env.bool("PASSWORD_POLICY_DEMO_EXEMPT", default=True)
