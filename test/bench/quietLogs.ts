/**
 * Imported first by the bench: the handlers log at ERROR unless POWERTOOLS_LOG_LEVEL says otherwise. Powertools'
 * Logger takes its level from the environment when it is built (the first import of `#observability`) and goes
 * back to that level on every warm invocation, so the level must be set before anything imports the handlers.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
