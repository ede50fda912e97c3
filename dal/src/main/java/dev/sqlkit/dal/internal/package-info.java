/** Not API: error translation, input checks and naming shared by the repositories. May change freely. */
package dev.sqlkit.dal.internal;
