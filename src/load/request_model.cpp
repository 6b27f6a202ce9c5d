#include "load/request_model.hpp"

namespace benchctl {

const char* request_shape_name(RequestShape shape) {
    switch (shape) {
        case RequestShape::single:
            return "single";
        case RequestShape::mix:
            return "mix";
        case RequestShape::sequence:
            return "sequence";
    }
    return "single";
}

}  // namespace benchctl
