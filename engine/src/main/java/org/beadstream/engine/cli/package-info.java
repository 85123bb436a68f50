/**
 * The {@code beadstream} command line (picocli): one class per subcommand, all registered in
 * {@link org.beadstream.engine.cli.BeadStreamCommand}.
 */
package org.beadstream.engine.cli;
