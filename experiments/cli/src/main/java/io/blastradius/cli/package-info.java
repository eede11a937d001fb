/**
 * The blastradius command line: picocli commands over the engine, with environments found by name.
 * The one module that may import both the engine and an environment (for 'up').
 */
package io.blastradius.cli;
