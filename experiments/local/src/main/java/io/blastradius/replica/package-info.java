/**
 * The local and attach environments: the replica on this machine, and one described by its replica.json.
 * Imports the model, the environment SPI and the fault proxy; never the engine.
 */
package io.blastradius.replica;
