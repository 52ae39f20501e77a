// SPDX-License-Identifier: GPL-2.0-only
/*
 * kipc: column selection and table output through libsmartcols, as lsipc
 * does it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kipc-tool.h"

static bool kt_column_in_scope(const struct kt_column *col,
			       unsigned int scope)
{
	return !col->scope || (col->scope & scope);
}

static int kt_column_find(const struct kt_column *cols, size_t ncols,
			  const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ncols; i++)
		if (strlen(cols[i].name) == len &&
		    !strncasecmp(cols[i].name, name, len))
			return i;
	return -1;
}

/* Append the comma-separated @list to @c->sel. Returns 0 or an exit status. */
static int kt_columns_add(struct kt_columns *c, const struct kt_cmd *cmd,
			  const char *list, unsigned int scope)
{
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ",");
		int i;

		if (!len)
			return kt_usage_err(cmd->path, "empty column name in '%s'",
					    list);
		i = kt_column_find(c->cols, c->ncols, p, len);
		if (i < 0)
			return kt_usage_err(cmd->path, "unknown column '%.*s'",
					    (int)len, p);
		if (!kt_column_in_scope(&c->cols[i], scope))
			return kt_usage_err(cmd->path,
					    "column '%s' does not apply to '%s'",
					    c->cols[i].name, cmd->path);
		if (c->nsel >= KT_COLUMNS_MAX)
			return kt_usage_err(cmd->path, "too many columns");
		c->sel[c->nsel++] = i;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/*
 * Choose the columns from -o (a '+' in front extends @defaults rather than
 * replacing them, as in lsblk and lsipc) or --output-all. Returns 0, or an
 * exit status after saying what was wrong.
 */
int kt_columns_select(struct kt_columns *c, const struct kt_cmd *cmd,
		      const char *defaults, unsigned int scope)
{
	const char *list = kt_output.columns;
	size_t i;
	int ret;

	c->nsel = 0;
	if (kt_output.all) {
		for (i = 0; i < c->ncols && c->nsel < KT_COLUMNS_MAX; i++)
			if (kt_column_in_scope(&c->cols[i], scope))
				c->sel[c->nsel++] = i;
		return 0;
	}
	if (!list || *list == '+') {
		ret = kt_columns_add(c, cmd, defaults, scope);
		if (ret || !list)
			return ret;
		list++;
	}
	if (!*list)
		return kt_usage_err(cmd->path, "no columns given to --output");
	return kt_columns_add(c, cmd, list, scope);
}

void kt_help_columns(FILE *out, const struct kt_column *cols,
		     size_t ncols, const char *defaults, unsigned int scope)
{
	size_t i, w = 0;

	for (i = 0; i < ncols; i++)
		if (kt_column_in_scope(&cols[i], scope) &&
		    strlen(cols[i].name) > w)
			w = strlen(cols[i].name);
	fprintf(out, "\nAvailable columns (for --output):\n");
	for (i = 0; i < ncols; i++)
		if (kt_column_in_scope(&cols[i], scope))
			fprintf(out, " %*s  %s\n", (int)w, cols[i].name,
				cols[i].help);
	fprintf(out, "\nDefault columns: %s\n", defaults);
}

/*
 * A table with the selected columns, set up for -J, -r and -n. @name is the
 * key of the array in JSON output. Returns NULL when out of memory.
 */
struct libscols_table *kt_table_new(const char *name,
				    const struct kt_columns *c)
{
	struct libscols_table *tb;
	size_t i;

	tb = scols_new_table();
	if (!tb)
		return NULL;
	if (scols_table_set_name(tb, name))
		goto out_unref;
	scols_table_enable_json(tb, kt_output.json);
	scols_table_enable_raw(tb, kt_output.raw);
	scols_table_enable_noheadings(tb, kt_output.noheadings);

	for (i = 0; i < c->nsel; i++) {
		const struct kt_column *col = &c->cols[c->sel[i]];
		struct libscols_column *cl;
		int json = col->json;

		/* "4K" is not a JSON number: as lsblk, a string until -b. */
		if (col->size && !kt_output.bytes)
			json = SCOLS_JSON_STRING;
		cl = scols_table_new_column(tb, col->name, col->whint,
					    col->flags);
		if (!cl)
			goto out_unref;
		if (scols_column_set_json_type(cl, json))
			goto out_unref;
	}
	return tb;

out_unref:
	scols_unref_table(tb);
	return NULL;
}

/* Print and free @tb. Returns an exit status. */
int kt_table_print(struct libscols_table *tb)
{
	int ret;

	ret = scols_print_table(tb);
	scols_unref_table(tb);
	if (ret)
		return kt_errno(ret, "cannot print the table");
	return 0;
}

int kt_table_add_line(struct libscols_table *tb, const struct kt_columns *c,
		      kt_cell_fn cell, const void *rec)
{
	struct libscols_line *ln;
	size_t i;

	ln = scols_table_new_line(tb, NULL);
	if (!ln)
		return -ENOMEM;
	for (i = 0; i < c->nsel; i++) {
		bool oom = false;
		char *s;

		s = cell(c->sel[i], rec, &oom);
		if (oom)
			return -ENOMEM;
		if (s && scols_line_refer_data(ln, i, s)) {
			free(s);
			return -ENOMEM;
		}
	}
	return 0;
}
