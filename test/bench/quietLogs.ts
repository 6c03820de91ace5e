/**
 * Imported first by the bench: the handlers log at ERROR unless POWERTOOLS_LOG_LEVEL says otherwise. Powertools'
 * Logger takes its level from the environment when it is built (the first import of `#observability`) and goes
 * back to that level on every warm invocation, so the level must be set before anything imports the handlers.
 * Metrics read POWERTOOLS_METRICS_DISABLED then too: in-process invocations print no EMF lines into the figures.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
