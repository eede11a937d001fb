/**
 * The experiment model: the YAML format, its loading and validation, and the replica's routes, services and hops.
 * Imports no other module of ours: the engine and every environment build on it.
 */
package io.blastradius.experiment;
