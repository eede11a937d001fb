/**
 * Experiments as JUnit 5 dynamic tests.
 * Imports the engine; the local environment is on its class path at run time only.
 */
package io.blastradius.junit;
