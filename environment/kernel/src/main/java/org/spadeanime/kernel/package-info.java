/** The kit's Java Jupyter kernel (JShell on JJava's kernel library). */
package org.spadeanime.kernel;
