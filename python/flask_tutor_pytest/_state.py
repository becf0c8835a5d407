"""The run's shared state, for modules below the pytest hooks (explanations, helpers) that need to
know the learner's folder or the loaded app. Imports nothing of ours, so nothing cycles through it:
plugin.py sets ``RUN`` when a session starts and clears it when it ends."""

RUN = None  # plugin.State while a session runs


def current_learner():
    """The learner's folder (``_util.LearnerDir``) of the running session, or None."""
    return RUN.learner if RUN is not None else None


def current_loaded():
    """The ``_loader.Loaded`` app target (factory or module app) of the running session, or None."""
    return RUN.loaded if RUN is not None else None
