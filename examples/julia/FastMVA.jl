# FastMVA.jl — a small Julia binding of libfastmva through `ccall`, following include/fastmva.h.
# No Julia runs in fastmva's CI: python/tests/test_julia_binding.py checks statically that every
# ccall here names a header function with the same number and kinds of arguments, and that the
# structs mirror the header's field order and types.
#
#   include("FastMVA.jl"); using .FastMVA
#   km = FastMVA.kmeans(X, 3; seed=42)       # X: features × samples (Julia is column-major)
#   sv = FastMVA.svd(X, 5; centre=:navigation) # PCA-style: the 5 leading components
module FastMVA

const libfastmva = get(ENV, "FASTMVA_LIBRARY", "libfastmva.so.0")

const FMVA_OK = Cint(0)
const FMVA_F32 = Int32(1)
const FMVA_F64 = Int32(2)
const FMVA_INIT_KMEANSPP = Int32(0)
const FMVA_INIT_ARRAY = Int32(2)
const FMVA_SVD_SOLVERS = Dict(:auto => Int32(0), :exact => Int32(1), :randomized => Int32(2))
const FMVA_CENTRES = Dict(:none => Int32(0), :signal => Int32(1), :navigation => Int32(2))

struct FMVAMatrix
    data::Ptr{Cvoid}
    dtype::Int32
    rows::Int64
    cols::Int64
    stride::Int64
end

mutable struct KMeansParams
    struct_size::Csize_t
    n_clusters::Int32
    init::Int32
    n_init::Int32
    max_iter::Int32
    tol::Cdouble
    seed::UInt64
    n_threads::Int32
    algorithm::Int32
    init_centers::Ptr{Cvoid}
    sample_weight::Ptr{Cvoid}
    progress::Ptr{Cvoid}
    progress_user::Ptr{Cvoid}
end

mutable struct SVDParams
    struct_size::Csize_t
    n_components::Int32
    solver::Int32
    centre::Int32
    poisson::Int32
    navigation_mask::Ptr{UInt8}
    signal_mask::Ptr{UInt8}
    ddof::Int32
    flip::Int32
    n_oversamples::Int32
    n_power_iter::Int32
    seed::UInt64
    n_threads::Int32
    progress::Ptr{Cvoid}
    progress_user::Ptr{Cvoid}
end

mutable struct SVDResult
    struct_size::Csize_t
    loadings::Ptr{Cvoid}
    factors::Ptr{Cvoid}
    singular_values::Ptr{Cdouble}
    explained_variance::Ptr{Cdouble}
    mean::Ptr{Cdouble}
    n_components::Int32
    randomized::Int32
    n_rows::Int64
    n_cols::Int64
    total_variance::Cdouble
    n_power_iter::Int32
end

"An error reported by libfastmva: the status code and the library's message."
struct FastMVAError <: Exception
    status::Cint
    msg::String
end

function check(status::Cint)
    status == FMVA_OK && return nothing
    msg = unsafe_string(ccall((:fmva_last_error, libfastmva), Cstring, ()))
    throw(FastMVAError(status, msg))
end

version() = ccall((:fmva_version, libfastmva), Cint, ())

dtype_code(::Type{Float32}) = FMVA_F32
dtype_code(::Type{Float64}) = FMVA_F64

# A Julia features×samples matrix is, byte for byte, a row-major samples×features matrix.
as_matrix(X::Matrix{T}) where {T<:Union{Float32,Float64}} =
    FMVAMatrix(pointer(X), dtype_code(T), size(X, 2), size(X, 1), size(X, 1))

"""
    kmeans(X, k; seed=0, n_init=1, max_iter=300, tol=1e-4, n_threads=0)

k-means (scikit-learn semantics) on the columns of `X` (features × samples). Returns
`(centers = features × k, labels = 1-based, inertia, n_iter)`.
"""
function kmeans(X::Matrix{T}, k::Integer; seed=0, n_init=1, max_iter=300, tol=1e-4,
                n_threads=0) where {T<:Union{Float32,Float64}}
    params = KMeansParams(0, 0, 0, 0, 0, 0.0, 0, 0, 0, C_NULL, C_NULL, C_NULL, C_NULL)
    check(ccall((:fmva_kmeans_params_init, libfastmva), Cint, (Ref{KMeansParams},), params))
    params.n_clusters = k
    params.seed = seed
    params.n_init = n_init
    params.max_iter = max_iter
    params.tol = tol
    params.n_threads = n_threads
    centers = Matrix{T}(undef, size(X, 1), k)
    labels = Vector{Int32}(undef, size(X, 2))
    inertia = Ref{Cdouble}(0)
    n_iter = Ref{Int32}(0)
    GC.@preserve X centers labels begin
        xm = Ref(as_matrix(X))
        check(ccall((:fmva_kmeans_fit, libfastmva), Cint,
                    (Ref{FMVAMatrix}, Ref{KMeansParams}, Ptr{Cvoid}, Ptr{Int32}, Ref{Cdouble}, Ref{Int32}),
                    xm, params, pointer(centers), pointer(labels), inertia, n_iter))
    end
    return (centers=centers, labels=labels .+ 1, inertia=inertia[], n_iter=Int(n_iter[]))
end

"Assigns the columns of `X` to the nearest of the columns of `centers` (1-based labels)."
function predict(X::Matrix{T}, centers::Matrix{T}; n_threads=0) where {T<:Union{Float32,Float64}}
    labels = Vector{Int32}(undef, size(X, 2))
    inertia = Ref{Cdouble}(0)
    GC.@preserve X centers labels begin
        xm, cm = Ref(as_matrix(X)), Ref(as_matrix(centers))
        check(ccall((:fmva_kmeans_predict, libfastmva), Cint,
                    (Ref{FMVAMatrix}, Ref{FMVAMatrix}, Ptr{Cvoid}, Int32, Ptr{Int32}, Ref{Cdouble}),
                    xm, cm, C_NULL, n_threads, pointer(labels), inertia))
    end
    return labels .+ 1, inertia[]
end

"""
    svd(X, k; solver=:auto, centre=:none, poisson=false, ddof=0, seed=0, n_threads=0)

Thin SVD of the samples (columns of `X`, features × samples) after the optional centring
(`:signal` removes each sample's mean, `:navigation` each feature's mean, as a PCA does) or
Keenan–Kotula Poisson scaling: the `k` leading triplets. `solver` is `:auto`, `:exact` or
`:randomized`. Returns `(loadings = samples × k, factors = features × k, singular_values,
explained_variance = s²/(samples − ddof), total_variance)`.
"""
function svd(X::Matrix{T}, k::Integer; solver=:auto, centre=:none, poisson=false, ddof=0, seed=0,
             n_threads=0) where {T<:Union{Float32,Float64}}
    params = SVDParams(0, 0, 0, 0, 0, C_NULL, C_NULL, 0, 0, 0, 0, 0, 0, C_NULL, C_NULL)
    check(ccall((:fmva_svd_params_init, libfastmva), Cint, (Ref{SVDParams},), params))
    params.n_components = k
    params.solver = FMVA_SVD_SOLVERS[solver]
    params.centre = FMVA_CENTRES[centre]
    params.poisson = poisson ? 1 : 0
    params.ddof = ddof
    params.seed = seed
    params.n_threads = n_threads
    # Row-major samples × k and features × k are, in Julia, k × samples and k × features.
    loadings = Matrix{T}(undef, k, size(X, 2))
    factors = Matrix{T}(undef, k, size(X, 1))
    s = Vector{Cdouble}(undef, k)
    ev = Vector{Cdouble}(undef, k)
    result = SVDResult(0, C_NULL, C_NULL, C_NULL, C_NULL, C_NULL, 0, 0, 0, 0, 0.0, 0)
    check(ccall((:fmva_svd_result_init, libfastmva), Cint, (Ref{SVDResult},), result))
    GC.@preserve X loadings factors s ev begin
        result.loadings = pointer(loadings)
        result.factors = pointer(factors)
        result.singular_values = pointer(s)
        result.explained_variance = pointer(ev)
        xm = Ref(as_matrix(X))
        check(ccall((:fmva_svd, libfastmva), Cint, (Ref{FMVAMatrix}, Ref{SVDParams}, Ref{SVDResult}),
                    xm, params, result))
    end
    return (loadings=permutedims(loadings), factors=permutedims(factors), singular_values=s,
            explained_variance=ev, total_variance=result.total_variance)
end

end # module
