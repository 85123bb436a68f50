/**
 * The one configuration schema of BeadStream: every parameter with its type, unit, range, default and description
 * ({@link org.beadstream.engine.config.ConfigSchema}), the validated result ({@link org.beadstream.engine.config.ResolvedConfig})
 * that is written beside every output, and the errors that name the offending key
 * ({@link org.beadstream.engine.config.ConfigException}).
 */
package org.beadstream.engine.config;
