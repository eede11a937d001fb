/**
 * The engine: the run order, suites, judgement, rollback and the reports.
 * Imports the model and the environment SPI; never an environment implementation (ModuleGraphTest).
 */
package io.blastradius.engine;
