// toml_json.cc — TOML into jansson through toml++ (see toml_json.h). The only
// place toml++ is seen; every exception stops here.
#include "toml_json.h"

#include <toml++/toml.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <string_view>

namespace {

void set_error(toml_json_error *err, size_t line, size_t column, const char *message)
{
    if (!err)
        return;
    err->line = line;
    err->column = column;
    std::snprintf(err->message, sizeof err->message, "%s", message);
}

// TOML's own text for a value JSON has no type for (dates, times, NaN).
template <typename T> json_t *as_text(const T &value)
{
    std::ostringstream os;
    os << value;
    const std::string s = os.str();
    return json_stringn(s.data(), s.size());
}

json_t *convert(const toml::node &node);

json_t *convert_table(const toml::table &table)
{
    json_t *obj = json_object();
    for (auto &&[key, value] : table) {
        json_t *v = convert(value);
        if (!obj || !v || json_object_setn_new_nocheck(obj, key.str().data(), key.str().size(), v) != 0) {
            json_decref(obj);
            return nullptr;
        }
    }
    return obj;
}

json_t *convert_array(const toml::array &array)
{
    json_t *arr = json_array();
    for (const toml::node &value : array) {
        json_t *v = convert(value);
        if (!arr || !v || json_array_append_new(arr, v) != 0) {
            json_decref(arr);
            return nullptr;
        }
    }
    return arr;
}

json_t *convert(const toml::node &node)
{
    switch (node.type()) {
    case toml::node_type::table:
        return convert_table(*node.as_table());
    case toml::node_type::array:
        return convert_array(*node.as_array());
    case toml::node_type::string: {
        const std::string &s = node.as_string()->get();
        return json_stringn(s.data(), s.size());
    }
    case toml::node_type::integer:
        return json_integer(node.as_integer()->get());
    case toml::node_type::floating_point: {
        double d = node.as_floating_point()->get();
        return std::isfinite(d) ? json_real(d) : as_text(*node.as_floating_point());
    }
    case toml::node_type::boolean:
        return json_boolean(node.as_boolean()->get());
    case toml::node_type::date:
        return as_text(node.as_date()->get());
    case toml::node_type::time:
        return as_text(node.as_time()->get());
    case toml::node_type::date_time:
        return as_text(node.as_date_time()->get());
    default:
        return nullptr;
    }
}

} // namespace

extern "C" int toml_to_json(json_t **out, const char *text, size_t len, toml_json_error *err)
{
    *out = nullptr;
    if (std::memchr(text, '\0', len)) {
        set_error(err, 0, 0, "a NUL byte in TOML");
        return -1;
    }
    try {
        toml::table table = toml::parse(std::string_view(text, len));
        *out = convert_table(table);
        if (!*out) {
            set_error(err, 0, 0, "out of memory, or a string that is not UTF-8");
            return -1;
        }
        return 0;
    } catch (const toml::parse_error &e) {
        set_error(err, e.source().begin.line, e.source().begin.column, e.description().data());
    } catch (const std::bad_alloc &) {
        set_error(err, 0, 0, "out of memory");
    } catch (...) {
        set_error(err, 0, 0, "unreadable TOML");
    }
    return -1;
}
