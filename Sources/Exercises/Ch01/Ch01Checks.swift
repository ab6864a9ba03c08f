import ExerciseSupport
import Raft

extension Catalog {
    static let ch01 = ChapterExercises(chapter: 1, exercises: [])
}
