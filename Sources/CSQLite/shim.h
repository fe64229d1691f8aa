#include <sqlite3.h>

/* sqlite3_bind_text's destructor argument SQLITE_TRANSIENT is a cast Swift cannot import. */
static inline int csqlite_bind_text_transient(sqlite3_stmt *statement, int index, const char *text) {
    return sqlite3_bind_text(statement, index, text, -1, SQLITE_TRANSIENT);
}
