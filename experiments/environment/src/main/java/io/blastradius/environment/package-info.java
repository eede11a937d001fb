/**
 * The environment SPI: the capabilities an environment offers, the changes a fault makes and undoes through them, and the registry that finds an environment by name.
 * Imports the model only; never the engine, never an environment implementation.
 */
package io.blastradius.environment;
